//===- CompressCodegenOps.td - CPU code generation ops -----*- tablegen -*-===//
//
// The compress dialect's ops that only code generation creates: fusion groups
// (emitted as one kernel), the x86 VNNI dot product, the 16-entry table
// lookup that decodes 4-bit weights and the product with a sparse weight. Kept apart from the
// compression ops (CompressOps.td) so that the model-level IR does not depend
// on a CPU.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSCODEGENOPS_TD
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSCODEGENOPS_TD

include "compress/Dialect/Compress/IR/CompressDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Compress_FusionGroupOp : Compress_Op<"fusion_group",
    [SingleBlock, RecursiveMemoryEffects]> {
  let summary = "Ops that code generation emits as one kernel";
  let description = [{
    A group made by `compress-fuse`: a producer with reduction loops (a
    contraction, convolution or pooling op) and the elementwise epilogue
    that consumes its result (bias, activation, residual add, requantize).
    `compress-tile-and-vectorize` emits the group as one register-tiled
    kernel: the epilogue runs on the accumulators in registers, so the
    producer's result is never written to memory. A group that cannot be
    emitted that way is inlined (its ops then run unfused).

    The region uses values from above; its block yields the group's results
    with `compress.yield`.

    Example:

    ```mlir
    %y = compress.fusion_group -> tensor<8x32xf32> {
      %mm = linalg.matmul ins(%x, %w : ...) outs(%zero : ...) -> tensor<8x32xf32>
      %act = linalg.generic {...} ins(%mm, %bias : ...) outs(%e : ...) {
        ... addf, maximumf ...
      } -> tensor<8x32xf32>
      compress.yield %act : tensor<8x32xf32>
    }
    ```
  }];
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`->` type($results)^)? attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
}

def Compress_YieldOp : Compress_Op<"yield",
    [Pure, Terminator, ReturnLike, HasParent<"FusionGroupOp">]> {
  let summary = "Yield the results of a fusion group";
  let description = [{
    Terminates the region of `compress.fusion_group`; its operands become
    the group's results (same number and types).

    ```mlir
    compress.yield %act : tensor<8x32xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = [{ ($values^ `:` type($values))? attr-dict }];
}

def Compress_VNNIDotOp : Compress_Op<"vnni_dot",
    [Pure, AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Accumulate u8 x s8 dot products of byte quads into i32 lanes";
  let description = [{
    For every i32 lane `i` of `acc`: `result[i] = acc[i] + sum_{t<4}
    zext(lhs[4i+t]) * sext(rhs[4i+t])`, where `lhs` holds unsigned and
    `rhs` signed bytes (wrapping i32 arithmetic). This is the x86 VNNI
    instruction `vpdpbusd`; `convert-compress-to-llvm` lowers it to the
    intrinsic of the vector width (16 lanes: AVX-512 VNNI; 8 and 4 lanes:
    AVX-512 VL or AVX-VNNI). `compress-tile-and-vectorize` emits it for int8
    contractions when the target CPU has VNNI.

    ```mlir
    %r = compress.vnni_dot %acc, %a, %b : vector<16xi32>, vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfRankAndType<[1], [I32]>:$acc,
                       VectorOfRankAndType<[1], [I8]>:$lhs,
                       VectorOfRankAndType<[1], [I8]>:$rhs);
  let results = (outs VectorOfRankAndType<[1], [I32]>:$result);
  let assemblyFormat = [{
    $acc `,` $lhs `,` $rhs attr-dict `:` type($acc) `,` type($lhs)
  }];
  let hasVerifier = 1;
}

def Compress_LookupOp : Compress_Op<"lookup",
    [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "Look up 32-bit lanes in a 16-entry table";
  let description = [{
    For every lane `i` of `indices`: `result[i] = table[indices[i] & 15]`.
    The table holds 16 32-bit values (`f32` or `i32`); `indices` and the
    result have 8 or 16 lanes. `compress-tile-and-vectorize` emits it to
    decode 4-bit weight codes: the table holds the decoded value of each of
    the 16 codes, computed at compile time from the kernel's body.
    `convert-compress-to-llvm` lowers it to `vpermps`/`vpermd` (16 lanes:
    AVX-512; 8 lanes: two AVX2 permutes of the table's halves and a blend
    on bit 3 of the index).

    ```mlir
    %r = compress.lookup %table[%codes] : vector<16xf32>, vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfRankAndType<[1], [F32, I32]>:$table,
                       VectorOfRankAndType<[1], [I32]>:$indices);
  let results = (outs VectorOfRankAndType<[1], [F32, I32]>:$result);
  let assemblyFormat = [{
    $table `[` $indices `]` attr-dict `:` type($table) `,` type($indices)
  }];
  let hasVerifier = 1;
}

def Compress_SparseMatmulOp : Compress_Op<"sparse_matmul", [Pure]> {
  let summary = "Product of a transposed activation and a column-sparse weight";
  let description = [{
    `result[n, m] = sum over j in [offsets[n], offsets[n + 1]) of
    values[j] * input[rows[j], m]`: the transposed product (W^T X^T) of a
    K x M activation stored transposed (`input`, K x M) and a K x N weight
    whose nonzeros are stored by columns (CSC): for column n, the rows
    `rows[offsets[n] .. offsets[n + 1])` (`i16` or `i32`) and their
    `values`. `compress-sparsify` creates it from a `linalg.matmul` with a
    constant sparse weight; `compress-tile-and-vectorize` emits its loops
    (vectors along m). Every column's nonzeros come in whole groups of
    `group` (padded with zeros, at most 64), which the kernel unrolls.

    With `rows_per_block = B > 0`, the nonzeros are stored by blocks of B
    input rows (K static, ceil(K / B) blocks) and by column within a
    block: `offsets` has blocks x N + 1 elements and the nonzeros of
    column n in block b, all with rows in [b B, (b + 1) B), are
    `[offsets[b * N + n], offsets[b * N + n + 1])`. The kernel then walks
    the blocks outside the columns, so that B rows of the input stay in
    the L1 cache while every column uses them, and reads the nonzeros in
    the order they are stored.

    With `i8` values (the codes of a weight quantized to int8, symmetric,
    per output column or per tensor), `scales` (N `f32`) is required and
    `result[n, m] = scales[n] * sum over j of values[j] * input[rows[j],
    m]`: 3 bytes per nonzero instead of 6.

    With `paired` (N static and even), the columns are stored by pairs
    (2p, 2p + 1), and each pair (of each block) has three ranges instead of
    one: `offsets` has 3 x N / 2 (x blocks) + 1 elements, and pair p of
    block b owns `offsets[3 (b N / 2 + p) + i]` for i = 0 .. 3. The first
    range holds the rows both columns keep, as two entries per row with
    the same row index: column 2p's value, then column 2p + 1's; the
    second holds the rows of column 2p alone, the third those of column
    2p + 1 alone. The kernel reads the input vectors of a shared row once
    for both columns: with half of the weights zero, about a third of each
    pair's rows are shared, and the loads per FMA fall from 5/4 to 1.

    Verified: shapes (`offsets` has N + 1, or blocks x N + 1, elements,
    with `paired` 3 x N / 2 (x blocks) + 1, `rows` and `values` the same
    number, `result` is N x M for a K x M `input`), and, when they are
    constants, that `offsets` starts at 0, never decreases, ends at the
    number of nonzeros and steps in multiples of `group`, that every row
    index is in [0, K) (and in its block), and that both entries of a
    shared row have its index.

    ```mlir
    %yt = compress.sparse_matmul %xt, %offsets, %rows, %values {group = 4}
        : tensor<1024x64xf32>, tensor<1025xi32>, tensor<104864xi16>,
          tensor<104864xf32> -> tensor<1024x64xf32>
    %yb = compress.sparse_matmul %xt, %boffsets, %brows, %bvalues
        {group = 4, rows_per_block = 64}
        : tensor<1024x64xf32>, tensor<16385xi32>, tensor<524288xi16>,
          tensor<524288xf32> -> tensor<1024x64xf32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2]>:$input,
                       TensorRankOf<[I32], [1]>:$offsets,
                       TensorRankOf<[I16, I32], [1]>:$rows,
                       TensorRankOf<[F32, I8], [1]>:$values,
                       Optional<TensorRankOf<[F32], [1]>>:$scales,
                       ConfinedAttr<I64Attr, [IntPositive, IntMaxValue<64>]>:$group,
                       ConfinedAttr<DefaultValuedAttr<I64Attr, "0">,
                                    [IntNonNegative]>:$rows_per_block,
                       UnitAttr:$paired);
  let results = (outs TensorRankOf<[F32], [2]>:$result);
  let assemblyFormat = [{
    $input `,` $offsets `,` $rows `,` $values
    (`scales` `(` $scales^ `:` type($scales) `)`)? attr-dict `:`
    type($input) `,` type($offsets) `,` type($rows) `,` type($values) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Compress_SparseConvOp : Compress_Op<"sparse_conv", [Pure]> {
  let summary = "A 2-D convolution (NCHW, stride 1) with a sparse weight";
  let description = [{
    The convolution `result[b, f, y, x] = sum over c, i < KH, j < KW of
    w[f, c, i, j] * input[b, c, y + DH * i, x + DW * j]` (stride 1,
    `dilations = [DH, DW]`, by default 1, the input already padded) of an
    N x C x Hp x Wp input and an F x C x KH x KW weight (`kernel = [KH,
    KW]`) whose nonzeros are stored by filter,
    as the columns of `compress.sparse_matmul`: for filter f, the weight
    rows `rows[offsets[f] .. offsets[f + 1])` (`i16` or `i32`: the
    reduction index `(c * KH + i) * KW + j`) and their `values`.
    `compress-sparsify` creates it from a stride-1 `linalg.conv_2d_*` with
    a constant sparse weight; `compress-tile-and-vectorize` emits its loops
    with the kernel of `compress.sparse_matmul` on each image read as one
    vector: row r's element of output position `m = y * Wp + x` is
    `input_flat[tap(r) + m]` with `tap(r) = c * Hp * Wp + DH * i * Wp +
    DW * j` (a direct sparse convolution: no im2col; the Wp - W_out extra
    columns of each output row are computed and dropped).

    `group`, `rows_per_block` (blocks of the reduction index), `i8` values
    and `scales` (one per filter) are as for `compress.sparse_matmul`.

    Verified: shapes (`result` is N x F x (Hp - DH x (KH - 1)) x (Wp - DW
    x (KW - 1)),
    `offsets` has F + 1, or blocks x F + 1, elements, `rows` and `values`
    as many), and constant offsets and rows (in [0, C x KH x KW), in their
    block).

    ```mlir
    %y = compress.sparse_conv %x, %offsets, %rows, %values
        {group = 4, kernel = array<i64: 3, 3>}
        : tensor<1x64x58x58xf32>, tensor<65xi32>, tensor<3696xi16>,
          tensor<3696xf32> -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [4]>:$input,
                       TensorRankOf<[I32], [1]>:$offsets,
                       TensorRankOf<[I16, I32], [1]>:$rows,
                       TensorRankOf<[F32, I8], [1]>:$values,
                       Optional<TensorRankOf<[F32], [1]>>:$scales,
                       DenseI64ArrayAttr:$kernel,
                       ConfinedAttr<I64Attr, [IntPositive, IntMaxValue<64>]>:$group,
                       ConfinedAttr<DefaultValuedAttr<I64Attr, "0">,
                                    [IntNonNegative]>:$rows_per_block,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations);
  let results = (outs TensorRankOf<[F32], [4]>:$result);
  let assemblyFormat = [{
    $input `,` $offsets `,` $rows `,` $values
    (`scales` `(` $scales^ `:` type($scales) `)`)? attr-dict `:`
    type($input) `,` type($offsets) `,` type($rows) `,` type($values) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Compress_NMSparseMatmulOp : Compress_Op<"nm_sparse_matmul", [Pure]> {
  let summary = "Product of an activation and an n:m sparse weight";
  let description = [{
    The product of an M x K activation and a K x N weight that keeps at
    most `n` of every `m` consecutive weights along K (`m` = 2 or 4), in a
    compact form, by tiles of 16 output columns (T = N rounded up to 16,
    divided by 16): the kept weights of every group, slot by slot (S = K /
    m x n slots; slot s holds weights of group s / n), as `values` (T x S
    x 16, `f32` or `i8` codes with `scales`), and the position of each
    within its group in 2 bits, 16 columns per `i32` word (`indices`, T x
    S; lane l's position is bits 2l and 2l + 1):

    `result[r, 16 t + l] = sum over s of values[t, s, l] * input[r, (s /
    n) * m + index(t, s, l)]`, times `scales[16 t + l]` for `i8` values.

    A 2:4 weight takes 0.53x of its dense f32 bytes (4 bytes and 2 bits
    per kept weight), each tile's weights contiguous in the order the
    kernel reads them. `compress-sparsify` creates it from a
    `linalg.matmul` whose constant weight has the structure (after
    `compress-prune structure=n:m`) and few activation rows;
    `compress-tile-and-vectorize` emits its kernel: vectors along 16
    output columns, each window of 16 activation elements loaded once into
    a register and each kept weight's element picked from it by its index
    (`compress.lookup`).

    Verified: `0 < n < m`, m in {2, 4}, K static and a multiple of m,
    `values` T x S x 16 and `indices` T x S for the N result columns,
    `scales` (N) exactly with `i8` values.

    ```mlir
    %y = compress.nm_sparse_matmul %x, %values, %indices {m = 4, n = 2}
        : tensor<1x1024xf32>, tensor<64x512x16xf32>, tensor<64x512xi32>
          -> tensor<1x1024xf32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2]>:$input,
                       TensorRankOf<[F32, I8], [3]>:$values,
                       TensorRankOf<[I32], [2]>:$indices,
                       Optional<TensorRankOf<[F32], [1]>>:$scales,
                       ConfinedAttr<I64Attr, [IntPositive]>:$n,
                       ConfinedAttr<I64Attr, [IntPositive]>:$m);
  let results = (outs TensorRankOf<[F32], [2]>:$result);
  let assemblyFormat = [{
    $input `,` $values `,` $indices
    (`scales` `(` $scales^ `:` type($scales) `)`)? attr-dict `:`
    type($input) `,` type($values) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Compress_BlockSparseMatmulOp : Compress_Op<"block_sparse_matmul", [Pure]> {
  let summary = "Product of an activation and a weight of sparse 1xC blocks";
  let description = [{
    `result[m, g * C + c] = sum over j in [offsets[g], offsets[g + 1]) of
    input[m, rows[j]] * values[j, c]`: the product of an M x K activation
    and a K x N weight whose nonzeros come in blocks of one row and C
    consecutive columns, stored per group of C columns (`offsets`, G + 1
    elements for N = G x C), each block's row (`i16` or `i32`) and its C
    values. `compress-sparsify` creates it from a `linalg.matmul` whose
    constant weight is mostly zero blocks (e.g. after `compress-prune
    structure=block block=1x16`); `compress-tile-and-vectorize` emits its
    loops (vectors along the C columns of a group). Every group's blocks
    come in whole groups of `group` (padded with zero blocks).

    Verified like `compress.sparse_matmul`: shapes (N = G x C, `rows` and
    `values` hold as many blocks), and constant offsets and rows.

    ```mlir
    %y = compress.block_sparse_matmul %x, %offsets, %rows, %values {group = 4}
        : tensor<1x1024xf32>, tensor<65xi32>, tensor<6560xi16>,
          tensor<6560x16xf32> -> tensor<1x1024xf32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2]>:$input,
                       TensorRankOf<[I32], [1]>:$offsets,
                       TensorRankOf<[I16, I32], [1]>:$rows,
                       TensorRankOf<[F32], [2]>:$values,
                       ConfinedAttr<I64Attr, [IntPositive, IntMaxValue<64>]>:$group);
  let results = (outs TensorRankOf<[F32], [2]>:$result);
  let assemblyFormat = [{
    $input `,` $offsets `,` $rows `,` $values attr-dict `:` type($input) `,`
    type($offsets) `,` type($rows) `,` type($values) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSCODEGENOPS_TD
