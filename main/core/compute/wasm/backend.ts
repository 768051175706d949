// The parts of tfjs-backend-wasm's backend object that our kernels use (not in its public typings).
import type { tf } from '../tf';

export interface WasmBackend {
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } };
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** Byte address of a tensor's data in the backend's memory. */
export function heapOffset(backend: WasmBackend, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** The backend's WebAssembly.Memory: exported by its threaded build, inside `asm` in the other. */
export function backendMemory(backend: WasmBackend): WebAssembly.Memory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) throw new Error('The wasm backend exposes no WebAssembly.Memory for our kernels');
  return memory;
}
