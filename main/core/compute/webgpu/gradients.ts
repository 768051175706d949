// The wasm rung swaps some of tfjs's gradients for faster ones (gradients/patch.ts) in the one global
// gradient registry; those read filters back synchronously, which the webgpu backend cannot do in Node.
// tfjs's own gradients are taken when this module loads, before any rung starts, and put back for webgpu.
import { tf } from '../tf';

const PATCHED = [tf.Conv2D, tf.Conv2DBackpropInput, tf.BatchMatMul, tf.LeakyRelu, tf.Sum, tf.Mean];
const stock = PATCHED.map((name) => tf.getGradient(name)).filter((g): g is tf.GradConfig => g !== undefined);

export function restoreStockGradients(): void {
  for (const config of stock) if (tf.getGradient(config.kernelName) !== config) tf.registerGradient(config);
}
