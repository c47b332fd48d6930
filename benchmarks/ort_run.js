// Runs an ONNX model with ONNX Runtime (onnxruntime-node) on one .npy input
// (float32, uint8 or int8) and reports the median latency: the ONNX Runtime
// peer of the benchmarks.
//
// Usage: node ort_run.js MODEL.onnx INPUT.npy THREADS REPEAT [OUTPUT.bin]
//
// Prints one JSON line {"median_ms": ..., "min_ms": ...}; writes the output
// tensor's raw little-endian data to OUTPUT.bin if given. The session
// uses all graph optimizations (Conv+BN folding, QDQ -> QLinearConv, ...),
// THREADS intra-op threads and no inter-op parallelism.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(path + ': not a .npy file');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12);
  const header = buf.toString('latin1', start, start + headerLen);
  const types = {'<f4': ['float32', Float32Array], '|u1': ['uint8', Uint8Array],
                 '|i1': ['int8', Int8Array]};
  const descr = (header.match(/'descr': '([^']*)'/) || [])[1];
  if (!types[descr] || header.includes("'fortran_order': True"))
    throw new Error(path + ': expected a C-order float32, uint8 or int8 array');
  const shape = header.match(/'shape': \(([^)]*)\)/)[1]
                    .split(',').filter((s) => s.trim()).map(Number);
  const offset = start + headerLen;
  const [type, ArrayType] = types[descr];
  const data = new ArrayType(buf.buffer.slice(buf.byteOffset + offset,
                                              buf.byteOffset + buf.length));
  return new ort.Tensor(type, data, shape);
}

async function main() {
  const [model, input, threadsArg, repeatArg, output] = process.argv.slice(2);
  if (!model || !input || !threadsArg || !repeatArg) {
    console.error('usage: node ort_run.js MODEL.onnx INPUT.npy THREADS REPEAT [OUTPUT.bin]');
    process.exit(2);
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threadsArg),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {[session.inputNames[0]]: readNpy(input)};
  let result = await session.run(feeds); // warm-up
  const times = [];
  for (let i = 0; i < Number(repeatArg); ++i) {
    const t = process.hrtime.bigint();
    result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times.length % 2 ? times[(times.length - 1) / 2]
      : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  if (output) {
    const y = result[session.outputNames[0]].data;
    fs.writeFileSync(output, Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  }
  console.log(JSON.stringify({median_ms: median, min_ms: times[0]}));
}

main().catch((e) => {
  console.error('ort_run.js: ' + e.message);
  process.exit(1);
});
