//===- KernelEmitter.h - The state of one kernel's emission -----*- C++ -*-===//
//
// Private to the kernel emitter: the class that builds one kernel. Its
// members are defined in Emitter.cpp (operands, loops, tiles), Loads.cpp
// (reading inputs) and DotEmitter.cpp (packed dot products).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_KERNELEMITTER_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_KERNELEMITTER_H

#include "KernelPlan.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::compress::kernels {

/// Emits the kernel of one plan at the position of the replaced op.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &builder, const KernelPlan &plan)
      : b(builder), plan(plan), root(plan.root), loc(root.getLoc()),
        inputs(plan.inputs) {}

  /// Builds the constants the plan repacks, then the loop nest; returns the
  /// kernel's result.
  Value emit();

private:
  /// Loop ivs by root dim; entries for the vector and row dims hold the
  /// tile's start.
  using Dims = SmallVector<Value>;

  /// A vector type of `lanes` elements of `type`.
  VectorType vec(Type type) const {
    return VectorType::get({plan.lanes}, type);
  }

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  //===--- Operands (Emitter.cpp, DotEmitter.cpp) ---------------------===//

  /// Replaces the packed inputs by their repacked constants.
  void materializePanels();
  /// Builds the packed weight, the column sums and the unsigned activation
  /// of the dot-product kernel.
  void materializeDot();
  /// The per-group column sums and padded scales of a per-group int8 dot
  /// kernel (`weight`: its codes as bytes, in the source layout).
  void materializeGroupConstants(ArrayRef<char> weight);
  /// The int8 activation xor 0x80 (in its producer's body or an
  /// elementwise op of its own).
  Value unsignedActivation(Value activation);

  //===--- Loops (Emitter.cpp) ----------------------------------------===//

  /// A loop nest over `loopDims` (each from 0 to its extent) carrying
  /// `iterArgs`, with `body(ivs, iterArgs)` innermost; returns its results.
  SmallVector<Value>
  buildNest(ArrayRef<unsigned> loopDims, ValueRange iterArgs,
            function_ref<SmallVector<Value>(ValueRange, ValueRange)> body);
  /// Marks `loop` as the one threads share if it is the first loop with
  /// more than one iteration (`extent`).
  void tagParallel(scf::ForOp loop, Value extent);
  /// The outer parallel dims around `body`.
  Value emitOuterLoops(Value dest, function_ref<Value(Value)> body);
  /// Whole vector tiles, then the masked remainder tile (if any), each
  /// running `body(dest, masked)`.
  Value emitVectorTiles(Value dest, function_ref<Value(Value, bool)> body);
  /// Panels of rows (outer dims outside), the vector tiles inside.
  Value emitRowPanels(Value dest);
  /// Emits the row loops (main blocks and the remainder) for one vector
  /// tile, over rows [begin, end) (all rows by default; `count` rows if
  /// known); returns the updated destination tensor.
  Value emitRowLoops(Dims dims, Value dest, bool masked, Value begin = {},
                     Value end = {}, std::optional<int64_t> count = {});
  /// The row blocks and remainder rows of emitRowLoops, over [begin, end):
  /// the remainder is one block if `count` is known, else one row at a
  /// time.
  Value emitRowBlocks(Dims dims, Value dest, bool masked, Value begin,
                      Value end, std::optional<int64_t> count);
  /// Emits one register tile of `rows` rows.
  Value emitTile(Dims dims, unsigned rows, Value dest, bool masked);
  /// The accumulators before the reduction.
  SmallVector<Value> initialAccumulators(const Dims &dims, unsigned rows,
                                         bool masked);
  /// The reduction loops of the generic (lane-wise body) kernel.
  SmallVector<Value> genericReduction(Dims dims, unsigned rows, ValueRange accs,
                                      bool masked);
  /// One reduction step of the generic kernel; `weights` (one per chunk),
  /// if given, are the decoded weight.
  SmallVector<Value> genericStep(const Dims &dims, unsigned rows,
                                 ValueRange accs, bool masked,
                                 ArrayRef<Value> weights = {});
  /// The first row block of the first outer iteration of a vector tile
  /// whose weight is decoded once per tile (DecodeBuffer::perTile): its
  /// reduction decodes the weight in registers, uses it and writes it to
  /// the decode buffer that the other blocks read (they skip this one).
  /// Returns the updated destination.
  Value emitDecodingBlock(Value dest, bool masked);
  /// The decoded weight of `chunk` at `at`, in registers.
  Value decodeChunk(const Dims &at, unsigned chunk, bool masked);
  /// Applies the epilogue (if any) to the accumulators and writes them.
  Value writeTile(const Dims &dims, unsigned rows, ArrayRef<Value> accs,
                  Value dest, bool masked);
  /// Applies `body` lane-wise: block args are mapped to `args`. For the
  /// root, `decodedWeight` (if given) is the plan's decoded weight, read
  /// from the decode buffer.
  Value applyBody(Block *body, ArrayRef<Value> args, Value decodedWeight = {});
  /// The code table's values (if any) looked up for the codes in `args`.
  SmallVector<std::pair<Value, Value>> tableLookups(ArrayRef<Value> args);
  /// Decodes the weight of the vector tile at `dims` into a new decode
  /// buffer ([reduction extents..., tile] f32), or into tile `tileIndex`
  /// of `into` (decodeAllTiles); returns it.
  Value decodeWeights(const Dims &dims, bool masked, Value into = {},
                      Value tileIndex = {});
  /// Decodes every tile of the weight into one buffer
  /// ([tiles][reduction extents...][tile] f32; DecodeBuffer::whole).
  Value decodeAllTiles();
  /// The shape of one tile's decode buffer: [reduction extents..., tile].
  SmallVector<int64_t> decodedTileShape() const;
  /// Where chunk `chunk` of the decoded weight at the reduction indices
  /// `reductionIvs` goes in a decode buffer (led by `tileIndex` in a whole
  /// one, DecodeBuffer::whole).
  SmallVector<Value> decodedPosition(Value tileIndex, ValueRange reductionIvs,
                                     unsigned chunk);
  /// The decode buffer of the vector tile at `dims`: decodeWeights, or
  /// decodeDotTile for a dot kernel.
  Value decodeTile(const Dims &dims, bool masked);

  //===--- Loads (Loads.cpp) ------------------------------------------===//

  /// The indices of `map` at `dims` (with the vector dim advanced by
  /// `vectorOffset` and the row dim by `row`).
  SmallVector<Value> indices(AffineMap map, const Dims &dims, unsigned row,
                             int64_t vectorOffset);
  /// Loads `input` for (row, chunk) as a vector.
  Value load(const KernelInput &input, const Dims &dims, unsigned row,
             unsigned chunk, bool masked);
  /// Loads a repacked constant: [v0 / tile, <indices but the last>, lane].
  Value loadPacked(const KernelInput &input, const Dims &dims, unsigned row,
                   int64_t offset, Value padding);
  /// Loads the sub-byte codes of `input` for (row, chunk) from its nibble
  /// panels as i32 lanes.
  Value loadNibbles(const KernelInput &input, const Dims &dims, unsigned row,
                    unsigned chunk);
  /// Gathers lanes `stride` elements apart in the row-major tensor.
  Value loadGather(const KernelInput &input, const Dims &dims, unsigned row,
                   int64_t offset, bool masked);
  /// Loads a full block of `rows` rows of a row-contiguous gathered input
  /// (KernelInput::rowContiguous): one vector of rows per lane, transposed
  /// in registers. Row-major (row, chunk) order, as loadedAt reads them.
  SmallVector<Value> loadTransposed(const KernelInput &input, const Dims &dims,
                                    unsigned rows, bool masked);
  /// Reads stride * lanes elements and keeps every stride-th one.
  Value loadStrided(const KernelInput &input, const Dims &dims, unsigned row,
                    int64_t offset, Value padding);
  /// Loads of `input` per row: one per vector chunk, one for a broadcast.
  unsigned loadChunks(const KernelInput &input) const {
    return input.access == Access::Broadcast ? 1 : plan.chunks;
  }
  /// Loads `reads` for a block of `rows` rows, once per row only if an
  /// input depends on the rows and once per chunk only if it is a vector;
  /// input `skip` (the root's result in an epilogue) is not loaded.
  SmallVector<SmallVector<Value>>
  loadBlock(ArrayRef<KernelInput> reads, const Dims &dims, unsigned rows,
            bool masked, std::optional<unsigned> skip = std::nullopt);
  /// The value of `input` at (row, chunk) among its loads from loadBlock.
  Value loadedAt(ArrayRef<Value> loads, const KernelInput &input, unsigned row,
                 unsigned chunk) const;

  //===--- Packed dot products (DotEmitter.cpp) -----------------------===//

  /// The reduction loops of the packed dot-product (VNNI, bf16) kernel.
  SmallVector<Value> dotReduction(Dims dims, unsigned rows, ValueRange accs);
  /// One group of the grouped reduction dim at `at` (group index `g`,
  /// linearized other reduction indices `otherLinear`): the broadcast
  /// groups per row, one packed weight load per register, one dot per row
  /// and load.
  SmallVector<Value> dotStep(const Dims &at, Value g, Value otherLinear,
                             unsigned rows, ArrayRef<Value> accs,
                             bool maskedGroup);
  /// The two registers of 4-bit codes in one loaded register of nibble
  /// pairs (WeightPacking.h: packNibblePairs), as bytes.
  std::pair<Value, Value> decodeNibblePair(Value packed);
  /// The codes of the vector tile at `dims` decoded to bytes
  /// (DotPlan::decode): [other][groups][tile][group] i8.
  Value decodeDotTile(const Dims &dims);
  /// The broadcast activation group of `row` at `at` (`padding`: the zero
  /// element).
  Value broadcastGroup(const Dims &at, unsigned row, Value padding,
                       bool maskedGroup);
  /// The integer dot products of one group (`group`: its index) of a
  /// per-group int8 kernel, added times the group's scales to the f32
  /// accumulators `accs`; `reduce` runs the group's reduction on i32
  /// accumulators.
  SmallVector<Value>
  scaledGroupStep(const Dims &at, Value group, unsigned rows, ValueRange accs,
                  function_ref<SmallVector<Value>(ValueRange)> reduce);
  /// vdpbf16ps in vector ops: for each lane j, acc[j] + a[2j+1] * b[2j+1]
  /// (rounded), then + a[2j] * b[2j] (rounded); the bf16 products are exact
  /// in f32. (The instruction also flushes denormals.)
  Value emulateDotBF16(Value acc, Value a, Value w);

  OpBuilder &b;
  const KernelPlan &plan;
  /// The planned op (a handle: MLIR ops are not const-correct).
  linalg::LinalgOp root;
  Location loc;
  /// The plan's inputs; packed ones read their repacked constant.
  SmallVector<KernelInput> inputs;
  /// Dot-product kernels: the packed weight, the int8 column sums (128 *
  /// sum of each column) and what is broadcast (int8: the activation xor
  /// 0x80, so the unsigned operand needs no work in the loop; bf16: the
  /// activation itself).
  Value dotWeights, columnSums, dotBroadcast;
  /// Per-group int8 kernels (DotPlan::groupScale): -128 * the column sums of
  /// each group, which start its i32 accumulators, and its scales, both
  /// [groups][padded columns].
  Value groupSums, groupScales;
  SmallVector<Value> extents; // by root dim
  /// Loop ivs of the loops around the vector tiles, by root dim.
  Dims outer;
  /// The decode buffer of the current vector tile (DecodeBuffer plans and
  /// DotPlan::decode).
  Value decodedWeights;
  /// emitRowBlocks skips the first block of the first outer iteration
  /// (emitDecodingBlock computed it).
  bool skipFirstBlock = false;
  /// Whether a loop has been marked as the one threads share.
  bool tagged = false;
};

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_KERNELEMITTER_H
