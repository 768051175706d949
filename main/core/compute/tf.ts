// The one place the engine imports TensorFlow.js from, so every module shares one tfjs-core instance.
// tfjs-core alone registers no gradient functions and its ESM files cannot be imported by Node;
// the @tensorflow/tfjs bundle registers them all (and the cpu backend) when loaded.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';

// The cpu backend prints a banner urging tfjs-node on first use; `homegrown info` already explains
// which backend runs and why, so the banner is only noise in every command's output.
const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
if (cpu) cpu.firstUse = false;

export { tf };
