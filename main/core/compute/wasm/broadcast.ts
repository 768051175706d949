// Add, Sub and Multiply on wasm where one operand is broadcast along some of the other's axes (biases,
// FiLM, pixel norm, per-image scales) through our kernel (assembly/broadcast.ts). Same-shape,
// scalar and other operations stay on tfjs's kernels.
import { type Runner, splitRange } from './runner';
import { tf } from '../tf';
import { type WasmBackend, heapOffset } from './backend';

const OPS: Record<string, number> = { [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2 };

/**
 * The big operand seen as [n, p, c] (first axis, middle axes, last axis) and the broadcast one's strides
 * along those, 0 where it repeats; undefined when the broadcast cannot be put that way.
 */
export function broadcastPlan(
  big: number[],
  small: number[],
): { n: number; p: number; c: number; strides: [number, number, number] } | undefined {
  if (big.length < 2 || small.length > big.length) return undefined;
  const s = [...Array(big.length - small.length).fill(1), ...small];
  if (s.some((d, i) => d !== 1 && d !== big[i])) return undefined;
  const [n, c] = [big[0]!, big[big.length - 1]!];
  const p = big.slice(1, -1).reduce((a, b) => a * b, 1);
  const middle = s.slice(1, -1);
  const spread = middle.every((d, i) => d === big[i + 1]);
  if (!spread && !middle.every((d) => d === 1)) return undefined;
  const sc = s[s.length - 1] === 1 ? 0 : 1;
  // One value per image: a row of p·c values each, so the kernel works in long vector runs.
  if (!sc && !(spread && p > 1)) return { n, p: 1, c: p * c, strides: [s[0] === 1 ? 0 : 1, 0, 0] };
  const sp = spread && p > 1 ? (sc ? c : 1) : 0;
  const sn = s[0] === 1 ? 0 : (spread ? p : 1) * (sc ? c : 1);
  return { n, p, c, strides: [sn, sp, sc] };
}

export function broadcastKernel(kernelName: string, runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const op = OPS[kernelName]!;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const [sizeA, sizeB] = [tf.util.sizeFromShape(a.shape), tf.util.sizeFromShape(b.shape)];
    const swap = sizeB > sizeA;
    const [big, small] = swap ? [b, a] : [a, b];
    const plan = broadcastPlan(big.shape, small.shape);
    const ours = a.dtype === 'float32' && b.dtype === 'float32' && sizeA !== sizeB && tf.util.sizeFromShape(small.shape) > 1;
    if (!ours || !plan || (swap && kernelName === tf.Sub)) return stock(args);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput(big.shape, 'float32');
    const rows = plan.n * plan.p;
    const parts = splitRange(rows, 1, runner.threadsFor(rows * plan.c));
    const at = (t: tf.TensorInfo) => heapOffset(backend, t);
    runner.run('broadcast', [op, at(big), at(small), at(out), plan.p, plan.c, ...plan.strides], parts);
    return out;
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}
