// The WebAssembly JS API as far as the engine's own kernels use it: TypeScript declares it only in its
// DOM and worker libs, which the main process does not load.
declare namespace WebAssembly {
  type Bytes = ArrayBuffer | ArrayBufferView;
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: Bytes);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: Bytes): boolean;
}
