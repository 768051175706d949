// Named prompt presets: a positive and a negative template under a unique name.
import type { Db } from './open';
import { UserError } from '../errors';

export interface Preset {
  id: number;
  name: string;
  positive: string;
  negative: string;
  createdAt: number;
  updatedAt: number;
}

export type PresetInput = Pick<Preset, 'name' | 'positive' | 'negative'>;

const PRESET = `SELECT id, name, positive, negative, created_at AS createdAt, updated_at AS updatedAt FROM presets`;

export class Presets {
  private readonly insert;
  private readonly update;
  private readonly byId;
  private readonly byName;
  private readonly all;
  private readonly deleteOne;

  constructor(db: Db) {
    this.insert = db.prepare<[string, string, string, number, number], { id: number }>(
      'INSERT INTO presets (name, positive, negative, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    );
    this.update = db.prepare<[string, string, string, number, number]>(
      'UPDATE presets SET name = ?, positive = ?, negative = ?, updated_at = ? WHERE id = ?',
    );
    this.byId = db.prepare<[number], Preset>(`${PRESET} WHERE id = ?`);
    this.byName = db.prepare<[string], Preset>(`${PRESET} WHERE name = ?`);
    this.all = db.prepare<[], Preset>(`${PRESET} ORDER BY name`);
    this.deleteOne = db.prepare<[number]>('DELETE FROM presets WHERE id = ?');
  }

  create(input: PresetInput, now = Date.now()): Preset {
    const p = clean(input);
    const { id } = unique(p.name, () => this.insert.get(p.name, p.positive, p.negative, now, now)!);
    return this.get(id)!;
  }

  /** Replaces name and templates; renaming onto another preset's name is refused. */
  save(id: number, input: PresetInput, now = Date.now()): Preset {
    const p = clean(input);
    const { changes } = unique(p.name, () => this.update.run(p.name, p.positive, p.negative, now, id));
    if (changes === 0) throw new UserError(`There is no preset ${id}`);
    return this.get(id)!;
  }

  get(id: number): Preset | undefined {
    return this.byId.get(id);
  }

  find(name: string): Preset | undefined {
    return this.byName.get(name.normalize('NFC').trim());
  }

  list(): Preset[] {
    return this.all.all();
  }

  remove(id: number): void {
    this.deleteOne.run(id);
  }
}

function clean(input: PresetInput): PresetInput {
  const name = input.name.normalize('NFC').trim();
  if (name === '') throw new UserError('A preset needs a name');
  return { name, positive: input.positive.normalize('NFC'), negative: input.negative.normalize('NFC') };
}

function unique<T>(name: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new UserError(`A preset named "${name}" already exists`);
    }
    throw err;
  }
}
