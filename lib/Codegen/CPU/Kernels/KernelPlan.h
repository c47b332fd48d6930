//===- KernelPlan.h - What one register-tiled kernel does -------*- C++ -*-===//
//
// Planning of a kernel: which dim is vectorized and which is blocked in
// registers, the loop order, the register block, cache blocking, which
// dot-product variant runs and which constants are repacked. Planning reads
// the IR (maps, shapes, attributes, constants) and never changes it: the
// emitter (Emitter.h) builds everything the plan calls for.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_KERNELPLAN_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_KERNELPLAN_H

#include "CodeTables.h"
#include "InputAccess.h"
#include "WeightPacking.h"
#include "compress/Codegen/Target.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::compress::kernels {

/// The elementwise consumer fused into the kernel (a fusion group's
/// epilogue).
struct Epilogue {
  linalg::LinalgOp op;
  /// Index of the epilogue input that is the root's result.
  unsigned rootInput = 0;
  /// The epilogue's inputs (the root input's entry is unused).
  SmallVector<KernelInput> inputs;
};

/// The packed dot-product variant of a kernel: int8 (AVX-512 VNNI
/// `vpdpbusd`, 4-byte groups) or bf16 (AVX512_BF16 `vdpbf16ps`, pairs).
struct DotPlan {
  bool bf16 = false;
  /// bf16 without AVX512_BF16 (emulate-bf16-dot): each vdpbf16ps is
  /// expanded into vector ops with its semantics.
  bool emulate = false;
  /// Elements of a reduction group: 4 i8 or 2 bf16.
  unsigned group() const { return bf16 ? 2 : 4; }
  /// bf16: the activation is f32 (the weight is a widened bf16 constant)
  /// and is rounded to bf16 (to nearest even) by an elementwise op before
  /// the kernel.
  bool roundActivation = false;
  /// int8: the weight is 4-bit codes (i4, sign-extended in the body),
  /// stored two per byte (WeightPacking.h: packNibblePairs) and decoded to
  /// bytes in registers. Needs an even number of chunks; with an odd one the
  /// codes are stored one per byte.
  bool nibbles = false;
  /// With `nibbles`: where the codes become bytes. In registers by every
  /// row block (few rows: memory-bound matrix-vector products), or once per
  /// vector tile into a buffer ([other][groups][tile][group] bytes) that
  /// every row block reads, so the inner loop is the int8 kernel's: per row
  /// range (the tile's rows, or its row panel's) when there are enough rows
  /// to pay for the buffer (KernelPlan::minRowsForDecodeBuffer), or once per
  /// tile for all outer iterations (convolutions: every output row reuses
  /// the tile), as for KernelPlan::DecodeBuffer.
  enum class NibbleDecode { InRegisters, PerRowRange, PerTile };
  NibbleDecode decode = NibbleDecode::InRegisters;
  /// int8 with an f32 output: the input holding the weight scales per
  /// group of the reduction ([other reduction][vector dim], f32 constant).
  /// Each iteration of the one other reduction dim (a group) accumulates
  /// its integer dot product separately and adds it, times the group's
  /// scales, to the f32 accumulators.
  std::optional<unsigned> groupScale;
  unsigned activation = 0; // index of the broadcast input
  unsigned weight = 0;     // index of the constant input
  unsigned groupDim = 0;   // reduction dim read in groups
  SmallVector<unsigned> otherReductions;
  /// Where the packed weight's bytes go (a 1-D constant).
  GroupedPanelLayout layout;
  /// int8: the elementwise op that computes the activation for this kernel
  /// alone (its quantization), into whose body the xor 0x80 that makes the
  /// activation unsigned goes; null if the xor is an op of its own.
  linalg::GenericOp unsignedProducer;
};

/// Options of the kernel planner.
struct KernelOptions {
  /// Plan bf16 dot products on AVX-512 CPUs without AVX512_BF16 too.
  bool emulateBF16Dot = false;
  /// Plan f32 x bf16 contractions as bf16 dot products, rounding the
  /// activation to bf16.
  bool bf16Activations = true;
};

/// Everything needed to emit one kernel.
struct KernelPlan {
  linalg::LinalgOp root;
  std::optional<Epilogue> epilogue;
  SmallVector<KernelInput> inputs;
  unsigned vectorDim = 0;
  std::optional<unsigned> rowDim;
  SmallVector<unsigned> outerDims;
  SmallVector<unsigned> reductionDims;
  AffineMap outputMap;
  Type accType;
  unsigned lanes = 0;  // elements per vector register
  unsigned chunks = 2; // vector registers per row
  unsigned rows = 1;   // rows per register block
  /// The scalar the root's output is filled with, if any (else the
  /// accumulators start from the root's init tensor).
  Value fillValue;
  Value rootInit;
  /// The tensor the kernel writes (the epilogue's init, or the root's).
  Value dest;
  std::optional<DotPlan> dot;
  /// A 4-bit constant input (packed, see WeightPacking.h: NibblePanels)
  /// decoded through tables.
  std::optional<CodeTable> codeTable;
  /// The weight decoded once per vector tile into a buffer
  /// ([reduction extents..., tile] f32) that every row block of the tile
  /// reads, instead of decoded by every row block: chosen for kernels with
  /// many row blocks (compute-bound GEMMs and convolutions).
  struct DecodeBuffer {
    /// The body value that is the decoded weight.
    Value weight;
    /// The body ops computing it, from inputs that do not depend on the
    /// rows (codes, scales, zero points) and constants.
    llvm::SmallPtrSet<Operation *, 8> ops;
    /// Decoded once per vector tile outside the outer loops (tile loop
    /// outermost, decode independent of the outer dims: the later layers of
    /// a CNN, whose few rows per output row would not pay for a decode).
    bool perTile = false;
    /// Every tile decoded once before all loops into one buffer
    /// ([tiles][reduction extents...][tile] f32) in the kernel's own loop
    /// order: a small weight whose decode is expensive (log2 codes of a
    /// depthwise convolution), where the tile-outermost order of `perTile`
    /// would make threads share a few tile loops that each stream the whole
    /// activation.
    bool whole = false;
  };
  std::optional<DecodeBuffer> decodeBuffer;
  /// A factor of every accumulated product that changes with the outer
  /// reduction dims only (the scales of a weight decoded per group, after
  /// compress-fuse-dequant split the reduction into groups and their
  /// elements): the innermost reduction loop (a group) accumulates the
  /// products without it into zero sums, which are then added times the
  /// factor to the accumulators, once per group.
  struct GroupFactor {
    unsigned input = 0;    // the input holding the factor
    Value product;         // the body's product of `kept` and the factor
    Value kept;            // the product's other operand
    unsigned innerDim = 0; // the innermost reduction dim (a group's element)
  };
  std::optional<GroupFactor> groupFactor;
  /// Rows of a vector tile from which the decode buffer is used (4 row
  /// blocks): with fewer, decoding in registers costs less than the
  /// buffer's stores and loads. A dynamic row count is compared at run time.
  int64_t minRowsForDecodeBuffer() const { return 4 * int64_t(rows); }
  /// Whether a weight is decoded into a buffer once per vector tile for all
  /// outer iterations, or once per tile and row range.
  bool decodesPerTile() const {
    return (decodeBuffer && decodeBuffer->perTile) ||
           (dot && dot->decode == DotPlan::NibbleDecode::PerTile);
  }
  bool decodesPerRowRange() const {
    return (decodeBuffer && !decodeBuffer->perTile && !decodeBuffer->whole) ||
           (dot && dot->decode == DotPlan::NibbleDecode::PerRowRange);
  }
  /// The vector-tile loop outside the outer parallel dims: each weight panel
  /// is then read once (and reused from cache by every row block) instead of
  /// once per outer iteration. Chosen when the weight traffic would be the
  /// larger one (ResNet's last stages: 9.4 MB of weights, 7 output rows).
  bool tilesOutermost = false;
  /// If nonzero, the row dim is split into panels of this many rows, each
  /// running all vector tiles: the activation rows of a panel stay in L2
  /// while every weight panel passes over them (cache blocking of a large
  /// GEMM; otherwise each tile streams the whole activation from memory).
  /// Elementwise kernels use one row block per panel (rows outermost).
  int64_t rowPanel = 0;
  /// Static loop extents of the root (dynamic ones as ShapedType::kDynamic).
  SmallVector<int64_t> ranges;

  /// Elements of the innermost output dim per register tile.
  int64_t tile() const { return lanes * chunks; }

  /// The op whose result the kernel replaces.
  Operation *replaced() const {
    linalg::LinalgOp op = epilogue ? epilogue->op : root;
    return op.getOperation();
  }
};

/// Plans the kernel of `root` with an optional elementwise `epilogue` that
/// consumes its result, for `target`. Fails if the ops are not supported.
/// Builds no IR.
FailureOr<KernelPlan> planKernel(linalg::LinalgOp root,
                                 linalg::LinalgOp epilogue,
                                 const TargetCPU &target,
                                 const KernelOptions &options);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_KERNELPLAN_H
