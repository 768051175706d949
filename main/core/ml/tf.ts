// The one place the engine imports TensorFlow.js from, so every module shares one tfjs-core instance.
// tfjs-core alone registers no gradient functions and its ESM files cannot be imported by Node;
// the @tensorflow/tfjs bundle registers them all (and the cpu backend) when loaded.
import '@tensorflow/tfjs';

export * as tf from '@tensorflow/tfjs-core';
