// The API, implemented once. Every shell (Electron IPC, the web server) hands `call` a method name and
// an untrusted input; the input is validated against its shared/api schema before anything runs, and
// any failure comes back as an ApiError. Events go to every subscriber.
import { API, type MethodName, type Output, type ParsedInput } from '#shared/api/index';
import { ApiError } from '#shared/api/common';
import type { ApiEvent } from '#shared/api/events';
import { isMethodName } from '#shared/api/names';
import { UserError } from '../errors';
import { deviceName, initBackend } from '../compute/backend';
import { MODELS, parseConfig, PRESETS, SIZES } from '../ml/config';
import { RunManager } from '../jobs/run-manager';
import { forkSpawner, type JobSpawner } from '../jobs/spawner';
import { Store } from '../store';
import { DatasetService } from './datasets';
import { exportImages, exportSheetOf, previewImage } from './export';
import { toApiError } from './errors';
import { EventHub } from './events';
import { GalleryService } from './gallery';
import { browseFolder } from './folders';
import { GenerateService } from './generate';
import { ImageService, type ImageData } from './images';
import { MotionService } from './motion';
import { Originality } from './originality';
import { PromptService } from './prompts';
import { readRecipeOf } from './recipe';
import { RunService } from './runs';
import { APP_VERSION } from '../version';
import type { Rgb } from '../export/pixel-art';

export interface ServiceOptions {
  /** App data folder (else HOMEGROWN_HOME, else the per-OS default). */
  home?: string;
  mode?: 'electron' | 'web';
  /** How training jobs and the generation process are started (Electron passes one built on utilityProcess). */
  spawn?: JobSpawner;
  /** Job entry file, for tests. */
  worker?: string;
  /** Force a compute backend (node-gpu, node, webgpu, wasm, cpu) for jobs and generation. */
  backend?: string;
  /** Shows a file in the OS file manager; only Electron can. */
  revealFile?: (file: string) => boolean;
  /** Asks for a folder with the native dialog (null when cancelled); only Electron can. */
  pickFolder?: () => Promise<string | null>;
  /** Where internal errors are logged. */
  log?: (text: string) => void;
  /**
   * Whether opening marks runs left "running" by an app that closed as interrupted (default yes). A
   * command run beside the app says no: the app's live runs are not its to judge.
   */
  recoverRuns?: boolean;
}

type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>> };

export class AppService {
  readonly store: Store;
  private readonly hub = new EventHub();
  private readonly manager: RunManager;
  private readonly handlers: Handlers;
  private readonly images: ImageService;
  private readonly generator: GenerateService;
  private readonly motion: MotionService;
  private backend: Promise<string> | null = null;
  /** Training-set palettes read for previews, by run folder and size. */
  private readonly palettes = new Map<string, Promise<Rgb[]>>();
  private backendName: string | null = null;
  private device: string | null = null;

  private constructor(private readonly options: ServiceOptions) {
    this.store = Store.open({ home: options.home });
    this.manager = new RunManager({
      store: this.store,
      emit: this.hub.emit,
      spawn: options.spawn ?? forkSpawner,
      worker: options.worker,
      backend: options.backend,
    });
    const datasets = new DatasetService(this.store, this.hub);
    const runs = new RunService(this.store, this.manager, () => this.computeBackend());
    const gallery = new GalleryService(this.store, options.revealFile);
    const originality = new Originality(this.store);
    const prompts = new PromptService(this.store, (id) => runs.vocabulary(id));
    this.generator = new GenerateService(this.store, this.hub, () => this.computeBackend(), options.spawn);
    this.motion = new MotionService(this.store, this.hub, () => this.computeBackend());
    this.images = new ImageService(this.store, datasets);
    this.handlers = {
      'app.info': async () => ({
        version: APP_VERSION,
        mode: options.mode ?? 'web',
        home: this.store.files.root,
        backend: this.backendName ?? this.store.runs.list().find((r) => r.backend !== null)?.backend ?? null,
        // Jobs walk the same ladder with the same forcing, so this process's device is theirs.
        device: await this.computeBackend().then(
          () => this.device,
          () => null,
        ),
        models: [...MODELS],
        sizes: [...SIZES],
        trainingPresets: Object.entries(PRESETS).map(([name, config]) => ({ name, config })),
        configDefaults: parseConfig({}),
      }),
      'app.pickFolder': async () => {
        if (!options.pickFolder) throw new UserError('Only the desktop app can show a folder dialog; type or drop the folder path instead');
        return { folder: await options.pickFolder() };
      },
      'app.browseFolder': (i) => browseFolder(i),
      'datasets.list': () => datasets.list(),
      'datasets.open': (i) => datasets.open(i),
      'datasets.setCaption': (i) => datasets.setCaption(i),
      'datasets.remove': (i) => datasets.remove(i.id),
      'runs.list': () => runs.list(),
      'runs.get': (i) => runs.detail(i.id),
      'runs.start': (i) => runs.start(i),
      'runs.pause': (i) => runs.pause(i.id),
      'runs.resume': (i) => runs.resume(i),
      'runs.stop': (i) => runs.stop(i.id),
      'runs.delete': (i) => runs.delete(i.id),
      'runs.quality': (i) => runs.quality(i.id),
      'runs.plan': (i) => runs.plan(i),
      'generate.start': (i) => this.generator.start(i),
      'generate.plan': (i) => this.generator.plan(i),
      'gallery.query': (i) => gallery.query(i),
      'gallery.get': (i) => gallery.detail(i.id),
      'gallery.rate': (i) => gallery.rate(i.id, i.rating),
      'gallery.favourite': (i) => gallery.favourite(i.id, i.favourite),
      'gallery.tag': (i) => gallery.tag(i.id, i.add, i.remove),
      'gallery.tags': () => this.store.generations.tags(),
      'gallery.delete': (i) => gallery.delete(i.id),
      'gallery.reveal': (i) => gallery.reveal(i.id),
      'gallery.similar': (i) => originality.similar(i.id, i.k),
      'prompts.history': (i) => prompts.history(i),
      'prompts.check': (i) => prompts.check(i),
      'prompts.complete': (i) => prompts.complete(i),
      'presets.list': () => prompts.listPresets(),
      'presets.create': (i) => prompts.createPreset(i),
      'presets.update': (i) => prompts.updatePreset(i.id, i.preset),
      'presets.delete': (i) => prompts.deletePreset(i.id),
      'presets.import': (i) => prompts.importPresets(i),
      'presets.export': (i) => prompts.exportPresets(i),
      'export.images': (i) => exportImages(this.store, originality, i),
      'export.sheet': (i) => exportSheetOf(this.store, originality, i),
      'recipe.read': (i) => readRecipeOf(this.store, i),
      'runs.add': (i) => runs.add(i),
      'gallery.bulk': (i) => gallery.bulk(i.ids, i.change),
      'gallery.trashCount': () => gallery.trashCount(),
      'gallery.emptyTrash': () => gallery.emptyTrash(),
      'gallery.restore': (i) => gallery.restore(i.ids),
      'export.preview': (i) => previewImage(this.store, i, this.palettes),
      'datasets.setAside': (i) => datasets.setAside(i),
      'datasets.notDuplicates': (i) => datasets.notDuplicates(i),
      'edit.describe': (i) => this.motion.describe(i),
      'edit.start': (i) => this.motion.edit(i),
      'walk.start': (i) => this.motion.walk(i),
      'motion.animate': (i) => this.motion.animate(i),
      'motion.inbetween': (i) => this.motion.inbetween(i),
      'sequence.export': (i) => this.motion.exportSequence(i),
      'sequence.fps': (i) => this.motion.setFps(i),
    };
  }

  /** Opens the store and (unless told not to) marks runs cut off by the last shutdown as interrupted. */
  static async open(options: ServiceOptions = {}): Promise<AppService> {
    const service = new AppService(options);
    if (options.recoverRuns ?? true) await service.manager.recoverInterrupted();
    return service;
  }

  /** Validates `input` against the method's schema, runs it, and maps every failure to an ApiError. */
  async call(method: string, input: unknown): Promise<unknown> {
    try {
      if (!isMethodName(method)) throw new ApiError('unknown-method', `There is no API method "${String(method)}"`);
      const parsed = API[method].input.parse(input ?? {});
      return await (this.handlers[method] as (i: unknown) => unknown)(parsed);
    } catch (err) {
      throw toApiError(err, this.options.log);
    }
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    return this.hub.subscribe(listener);
  }

  /** An image by kind and id (see shared/api names.ts), or null. */
  image(kind: string, id: string): Promise<ImageData | null> {
    return this.images.get(kind, id);
  }

  /** Pauses every training job (each writes a checkpoint), lets generation finish, then closes the store. */
  async close(): Promise<void> {
    await this.manager.close();
    await this.generator.idle();
    await this.motion.idle();
    this.generator.dispose();
    this.store.close();
  }

  private computeBackend(): Promise<string> {
    this.backend ??= initBackend({ force: this.options.backend }).then((r) => {
      this.device = deviceName(r);
      return (this.backendName = r.active);
    });
    return this.backend;
  }
}
