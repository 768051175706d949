// Decoded training images in a file rather than in memory: one fixed-size record per slot after a
// header, written as each image is decoded and read back one image at a time when a batch needs it. So
// the memory a dataset takes does not grow with its image count; the operating system's page cache
// keeps the file's hot parts close. The file is opened once and read through its descriptor, so a
// cache entry replaced (renamed over) by another process does not change the pixels of a running load.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A dataset dropped without close() still gives its descriptor back once it is collected.
const unclosed = new FinalizationRegistry<number>((fd) => fs.close(fd, () => {}));

/** Items' images by index: item i is the record at slots[i]. */
export class ImageFile {
  private fd: number;

  constructor(
    fd: number,
    /** Bytes per image. */
    readonly stride: number,
    private readonly headerBytes: number,
    private readonly slots: Uint32Array,
  ) {
    this.fd = fd;
    unclosed.register(this, fd, this);
  }

  get count(): number {
    return this.slots.length;
  }

  /** Image i's bytes, in `into` when given (at least `stride` long), else in a new array. */
  read(i: number, into?: Uint8Array): Uint8Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.slots.length) throw new RangeError(`image ${i} of ${this.slots.length}`);
    if (this.fd < 0) throw new Error('the dataset images were closed');
    const out = into ? into.subarray(0, this.stride) : new Uint8Array(this.stride);
    readFully(this.fd, out, this.headerBytes + this.slots[i]! * this.stride);
    return out;
  }

  /** Every image in item order, in one array: memory grows with the dataset, so only for small ones. */
  readAll(): Uint8Array {
    const all = new Uint8Array(this.count * this.stride);
    for (let i = 0; i < this.count; i++) this.read(i, all.subarray(i * this.stride));
    return all;
  }

  close(): void {
    if (this.fd < 0) return;
    unclosed.unregister(this);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function readFully(fd: number, out: Uint8Array, position: number): void {
  for (let done = 0; done < out.length;) {
    const n = fs.readSync(fd, out, done, out.length - done, position + done);
    if (n === 0) throw new Error(`the decoded-image file ends before byte ${position + out.length}`);
    done += n;
  }
}

/**
 * A file being filled with decoded images: `put` writes a record at its slot, `finish` writes the header
 * and turns the file into an ImageFile. Under `dir` it is named `name` until `keep` renames it; without
 * `dir` it is an anonymous file in the temporary folder, gone from the disk once it is closed.
 */
export class ImageFileWriter {
  private constructor(
    private readonly fd: number,
    /** The folder the file is in. */
    readonly dir: string,
    readonly stride: number,
    private readonly headerBytes: number,
    /** Its name while it has one. */
    private file: string | null,
    /** The temporary folder holding that name, if any. */
    private readonly folder: string | null = null,
  ) {}

  static create(stride: number, headerBytes: number, dir?: string): ImageFileWriter {
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      removeAbandoned(dir);
      const file = path.join(dir, `${PARTIAL}${process.pid}-${Math.random().toString(36).slice(2)}`);
      return new ImageFileWriter(fs.openSync(file, 'w+'), dir, stride, headerBytes, file);
    }
    const folder = fs.mkdtempSync(path.join(tmpdir(), 'homegrown-decoded-'));
    const file = path.join(folder, 'images');
    const fd = fs.openSync(file, 'w+');
    const writer = new ImageFileWriter(fd, tmpdir(), stride, headerBytes, file, folder);
    // The open descriptor keeps the data; the name goes now, so no crash can leave the file behind.
    writer.unlink();
    return writer;
  }

  /** The record at `slot`, as written. */
  readSlot(slot: number): Uint8Array {
    const out = new Uint8Array(this.stride);
    readFully(this.fd, out, this.headerBytes + slot * this.stride);
    return out;
  }

  put(slot: number, bytes: Uint8Array): void {
    if (bytes.length !== this.stride) throw new Error(`a decoded image has ${bytes.length} bytes, not ${this.stride}`);
    let position = this.headerBytes + slot * this.stride;
    for (let done = 0; done < bytes.length;) {
      const n = fs.writeSync(this.fd, bytes, done, bytes.length - done, position);
      done += n;
      position += n;
    }
  }

  /** Writes the header; the file's name (if any) then stays as it is until `keep` or `discard`. */
  finish(header: Buffer, slots: Uint32Array): ImageFile {
    if (header.length !== this.headerBytes) throw new Error(`header of ${header.length} bytes, not ${this.headerBytes}`);
    fs.writeSync(this.fd, header, 0, header.length, 0);
    return new ImageFile(this.fd, this.stride, this.headerBytes, slots);
  }

  /** Gives the file the name `to` (replacing any file there); false when it cannot. */
  keep(to: string): boolean {
    if (!this.file) return false;
    try {
      fs.renameSync(this.file, to);
      this.file = null;
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the file's name; its data lives on while an ImageFile reads it. */
  unlink(): void {
    try {
      if (this.file) fs.rmSync(this.file, { force: true });
      if (this.folder) fs.rmSync(this.folder, { recursive: true, force: true });
      this.file = null;
    } catch {
      // A system that cannot remove an open file's name (Windows may not): the temporary folder is left.
    }
  }

  /** Closes and removes a file that will not be read. */
  discard(): void {
    fs.closeSync(this.fd);
    this.unlink();
  }
}

const PARTIAL = '.decoding-';

/** Partial files of processes that are gone (a crash while decoding) are removed. */
function removeAbandoned(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const pid = name.startsWith(PARTIAL) ? Number(name.slice(PARTIAL.length).split('-')[0]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens a finished file for reading when its header is `header` and it holds every slot; null otherwise. */
export function openImageFile(file: string, header: Buffer, stride: number, slots: Uint32Array): ImageFile | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const found = Buffer.alloc(header.length);
    const needed = header.length + slots.reduce((max, s) => Math.max(max, s + 1), 0) * stride;
    if (fs.fstatSync(fd).size >= needed && fs.readSync(fd, found, 0, header.length, 0) === header.length && found.equals(header)) {
      return new ImageFile(fd, stride, header.length, slots);
    }
  } catch {
    // unreadable: treated as absent
  }
  fs.closeSync(fd);
  return null;
}
