// RUN: compress-opt %s -split-input-file -verify-diagnostics

// The CPU-only ops of CompressCodegenOps.td.

func.func @group_types(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'compress.fusion_group' op yields 1 value(s) of types 'tensor<4xf32>' but the group has 1 result(s) of types 'tensor<4xf16>'}}
  %r = compress.fusion_group -> tensor<4xf16> {
    %y = arith.addf %x, %x : tensor<4xf32>
    compress.yield %y : tensor<4xf32>
  }
  return %r : tensor<4xf16>
}

// -----

func.func @group_empty() {
  // expected-error @+1 {{'compress.fusion_group' op must contain at least one op besides the terminator}}
  compress.fusion_group {
    compress.yield
  }
  return
}

// -----

func.func @group_terminator(%x: tensor<4xf32>) {
  // expected-error @+1 {{'compress.fusion_group' op region must end with 'compress.yield'}}
  "compress.fusion_group"() ({
    %y = arith.addf %x, %x : tensor<4xf32>
  }) : () -> ()
  return
}

// -----

func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'compress.yield' op expects parent op 'compress.fusion_group'}}
  compress.yield %x : tensor<4xf32>
}

// -----

func.func @vnni_lanes(%acc: vector<2xi32>, %a: vector<8xi8>) -> vector<2xi32> {
  // expected-error @+1 {{'compress.vnni_dot' op accumulator must have 4, 8 or 16 i32 lanes, got 2}}
  %r = compress.vnni_dot %acc, %a, %a : vector<2xi32>, vector<8xi8>
  return %r : vector<2xi32>
}

// -----

func.func @vnni_bytes(%acc: vector<16xi32>, %a: vector<32xi8>) -> vector<16xi32> {
  // expected-error @+1 {{'compress.vnni_dot' op byte operands must have 4 x 16 = 64 elements, got 32}}
  %r = compress.vnni_dot %acc, %a, %a : vector<16xi32>, vector<32xi8>
  return %r : vector<16xi32>
}

// -----

func.func @vnni_type(%acc: vector<16xf32>, %a: vector<64xi8>) -> vector<16xf32> {
  // expected-error @+1 {{'compress.vnni_dot' op operand #0 must be vector of 32-bit signless integer values of ranks 1}}
  %r = compress.vnni_dot %acc, %a, %a : vector<16xf32>, vector<64xi8>
  return %r : vector<16xf32>
}

// -----

func.func @lookup_table_size(%t: vector<8xf32>, %i: vector<8xi32>) -> vector<8xf32> {
  // expected-error @+1 {{'compress.lookup' op table must have 16 entries, got 8}}
  %r = compress.lookup %t[%i] : vector<8xf32>, vector<8xi32>
  return %r : vector<8xf32>
}

// -----

func.func @lookup_lanes(%t: vector<16xf32>, %i: vector<4xi32>) -> vector<4xf32> {
  // expected-error @+1 {{'compress.lookup' op indices must have 8 or 16 lanes, got 4}}
  %r = compress.lookup %t[%i] : vector<16xf32>, vector<4xi32>
  return %r : vector<4xf32>
}

// -----

func.func @lookup_table_type(%t: vector<16xf64>, %i: vector<16xi32>) -> vector<16xf64> {
  // expected-error @+1 {{'compress.lookup' op operand #0 must be vector of 32-bit float or 32-bit signless integer values of ranks 1}}
  %r = compress.lookup %t[%i] : vector<16xf64>, vector<16xi32>
  return %r : vector<16xf64>
}

// -----

func.func @lookup_index_type(%t: vector<16xf32>, %i: vector<16xi64>) -> vector<16xf32> {
  // expected-error @+1 {{'compress.lookup' op operand #1 must be vector of 32-bit signless integer values of ranks 1}}
  %r = compress.lookup %t[%i] : vector<16xf32>, vector<16xi64>
  return %r : vector<16xf32>
}

// -----

func.func @sparse_columns(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op result has 4 columns, the input 5}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @sparse_offsets_size(%x: tensor<3x5xf32>, %o: tensor<4xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op offsets must have one element more than the 2 result rows, got 4}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<4xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_values_size(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op rows and values must have as many elements, got 4 and 5}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<5xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_offsets_order(%x: tensor<3x5xf32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  %o = arith.constant dense<[0, 3, 2]> : tensor<3xi32>
  // expected-error @+1 {{'compress.sparse_matmul' op offsets must start at 0 and grow by multiples of the group 1 up to the 4 nonzeros; offset 2 is 2}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_offsets_group(%x: tensor<3x5xf32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  %o = arith.constant dense<[0, 1, 4]> : tensor<3xi32>
  // expected-error @+1 {{'compress.sparse_matmul' op offsets must start at 0 and grow by multiples of the group 2 up to the 4 nonzeros; offset 1 is 1}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_offsets_end(%x: tensor<3x5xf32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  %o = arith.constant dense<[0, 1, 3]> : tensor<3xi32>
  // expected-error @+1 {{'compress.sparse_matmul' op the last offset must be the number of nonzeros 4, got 3}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_block_offsets(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op offsets must have 2 blocks x 2 result rows + 1 elements, got 3}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1, rows_per_block = 2} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_paired_offsets(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op offsets must have 3 x 1 pairs + 1 elements, got 3}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2, paired} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_paired_block_offsets(%x: tensor<3x5xf32>, %o: tensor<4xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op offsets must have 3 x 1 pairs x 2 blocks + 1 elements, got 4}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2, paired, rows_per_block = 2} : tensor<3x5xf32>, tensor<4xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_paired_odd(%x: tensor<3x5xf32>, %o: tensor<4xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op paired needs a static, even number of result rows, got 3}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2, paired} : tensor<3x5xf32>, tensor<4xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// -----

func.func @sparse_paired_dynamic(%x: tensor<3x5xf32>, %o: tensor<4xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op paired needs a static, even number of result rows, got ?}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2, paired} : tensor<3x5xf32>, tensor<4xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

func.func @sparse_paired_group(%x: tensor<3x5xf32>, %o: tensor<4xi32>, %r: tensor<3xi16>, %v: tensor<3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op paired needs an even group, got 1}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1, paired} : tensor<3x5xf32>, tensor<4xi32>, tensor<3xi16>, tensor<3xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_paired_shared_rows(%x: tensor<3x5xf32>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  %o = arith.constant dense<[0, 4, 4, 4]> : tensor<4xi32>
  %r = arith.constant dense<[1, 1, 0, 2]> : tensor<4xi16>
  // expected-error @+1 {{'compress.sparse_matmul' op shared row entries 2 and 3 have different rows 0 and 2}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2, paired} : tensor<3x5xf32>, tensor<4xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_paired_block_row(%x: tensor<3x5xf32>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // Block 0 (rows 0 and 1) lists row 2 among its shared rows.
  %o = arith.constant dense<[0, 2, 2, 2, 4, 4, 4]> : tensor<7xi32>
  %r = arith.constant dense<[2, 2, 2, 2]> : tensor<4xi16>
  // expected-error @+1 {{'compress.sparse_matmul' op row index 2 (nonzero 0) is outside its block 0 of 2 rows}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 2, paired, rows_per_block = 2} : tensor<3x5xf32>, tensor<7xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_block_dynamic(%x: tensor<?x5xf32>, %o: tensor<5xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op rows_per_block needs static input rows and result rows}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1, rows_per_block = 2} : tensor<?x5xf32>, tensor<5xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_block_row(%x: tensor<3x5xf32>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  %o = arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi32>
  %r = arith.constant dense<[0, 2, 2, 2]> : tensor<4xi16>
  // expected-error @+1 {{'compress.sparse_matmul' op row index 2 (nonzero 1) is outside its block 0 of 2 rows}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1, rows_per_block = 2} : tensor<3x5xf32>, tensor<5xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_block_negative(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op attribute 'rows_per_block' failed to satisfy constraint}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1, rows_per_block = -1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_codes_without_scales(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xi8>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op i8 values need scales}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xi8> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_scales_without_codes(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>, %s: tensor<2xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op scales apply to i8 values only}}
  %y = compress.sparse_matmul %x, %o, %r, %v scales(%s : tensor<2xf32>) {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_scales_size(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xi8>, %s: tensor<3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op scales must have one element per result row (2), got 3}}
  %y = compress.sparse_matmul %x, %o, %r, %v scales(%s : tensor<3xf32>) {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xi8> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_row_range(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  %r = arith.constant dense<[0, 2, 3, 1]> : tensor<4xi16>
  // expected-error @+1 {{'compress.sparse_matmul' op row index 3 (nonzero 2) is outside the 3 input rows}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 1} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @sparse_group(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op attribute 'group' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 0} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @block_columns(%x: tensor<2x3xf32>, %o: tensor<3xi32>, %r: tensor<2xi16>, %v: tensor<2x4xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'compress.block_sparse_matmul' op result has 6 columns, not 2 groups of 4}}
  %y = compress.block_sparse_matmul %x, %o, %r, %v {group = 1} : tensor<2x3xf32>, tensor<3xi32>, tensor<2xi16>, tensor<2x4xf32> -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

func.func @block_rows(%x: tensor<2x3xf32>, %o: tensor<3xi32>, %r: tensor<2xi16>, %v: tensor<2x4xf32>) -> tensor<5x8xf32> {
  // expected-error @+1 {{'compress.block_sparse_matmul' op result has 5 rows, the input 2}}
  %y = compress.block_sparse_matmul %x, %o, %r, %v {group = 1} : tensor<2x3xf32>, tensor<3xi32>, tensor<2xi16>, tensor<2x4xf32> -> tensor<5x8xf32>
  return %y : tensor<5x8xf32>
}

// -----

func.func @block_count(%x: tensor<2x3xf32>, %o: tensor<3xi32>, %r: tensor<3xi16>, %v: tensor<2x4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'compress.block_sparse_matmul' op rows and values must have as many blocks, got 3 and 2}}
  %y = compress.block_sparse_matmul %x, %o, %r, %v {group = 1} : tensor<2x3xf32>, tensor<3xi32>, tensor<3xi16>, tensor<2x4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @block_row_range(%x: tensor<2x3xf32>, %o: tensor<3xi32>, %v: tensor<2x4xf32>) -> tensor<2x8xf32> {
  %r = arith.constant dense<[0, 3]> : tensor<2xi16>
  // expected-error @+1 {{'compress.block_sparse_matmul' op row index 3 (nonzero 1) is outside the 3 input rows}}
  %y = compress.block_sparse_matmul %x, %o, %r, %v {group = 1} : tensor<2x3xf32>, tensor<3xi32>, tensor<2xi16>, tensor<2x4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @block_dynamic_width(%x: tensor<2x3xf32>, %o: tensor<3xi32>, %r: tensor<2xi16>, %v: tensor<2x?xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'compress.block_sparse_matmul' op needs a static block width, offsets size and result columns}}
  %y = compress.block_sparse_matmul %x, %o, %r, %v {group = 1} : tensor<2x3xf32>, tensor<3xi32>, tensor<2xi16>, tensor<2x?xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @sparse_group_large(%x: tensor<3x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi16>, %v: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'compress.sparse_matmul' op attribute 'group' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive whose maximum value is 64}}
  %y = compress.sparse_matmul %x, %o, %r, %v {group = 9223372036854775807} : tensor<3x5xf32>, tensor<3xi32>, tensor<4xi16>, tensor<4xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @conv_kernel_rank(%x: tensor<1x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op kernel must be two positive sizes [KH, KW], got [3]}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_dynamic(%x: tensor<1x2x?x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op needs static channels, heights and widths}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x2x?x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_images(%x: tensor<2x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op result has 1 images, the input 2}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<2x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_output_size(%x: tensor<1x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op result must be 2 x 2 for a 4 x 4 input and a 3 x 3 kernel with dilations 1 x 1, got 4 x 4}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @conv_offsets_size(%x: tensor<1x2x4x4xf32>, %o: tensor<4xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op offsets must have 1 block(s) x 2 filters + 1 elements, got 4}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x2x4x4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_values_size(%x: tensor<1x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<8xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op rows and values must have as many elements, got 4 and 8}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<8xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_codes(%x: tensor<1x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xi8>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op i8 values need scales}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xi8> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_row_range(%x: tensor<1x2x4x4xf32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  %o = arith.constant dense<[0, 4, 4]> : tensor<3xi32>
  %r = arith.constant dense<[0, 1, 2, 18]> : tensor<4xi32>
  // expected-error @+1 {{'compress.sparse_conv' op row index 18 (nonzero 3) is outside the 18 input rows}}
  %y = compress.sparse_conv %x, %o, %r, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_row_block(%x: tensor<1x2x4x4xf32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  // Blocks of 9 weight rows: channel 0 then channel 1; row 9 (channel 1)
  // is listed in block 0.
  %o = arith.constant dense<[0, 4, 4, 4, 4]> : tensor<5xi32>
  %r = arith.constant dense<[0, 1, 2, 9]> : tensor<4xi32>
  // expected-error @+1 {{'compress.sparse_conv' op row index 9 (nonzero 3) is outside its block 0 of 9 rows}}
  %y = compress.sparse_conv %x, %o, %r, %v {group = 4, kernel = array<i64: 3, 3>, rows_per_block = 9} : tensor<1x2x4x4xf32>, tensor<5xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @nm_pattern(%x: tensor<1x8xf32>, %v: tensor<1x8x16xf32>, %i: tensor<1x8xi32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op needs 0 < n < m with m = 2 or 4, got 4:4}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 4} : tensor<1x8xf32>, tensor<1x8x16xf32>, tensor<1x8xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @nm_dynamic(%x: tensor<1x?xf32>, %v: tensor<1x4x16xf32>, %i: tensor<1x4xi32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op needs a static reduction, result columns, values and indices}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2} : tensor<1x?xf32>, tensor<1x4x16xf32>, tensor<1x4xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @nm_reduction(%x: tensor<1x6xf32>, %v: tensor<1x2x16xf32>, %i: tensor<1x2xi32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op the reduction 6 is not a multiple of m = 4}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2} : tensor<1x6xf32>, tensor<1x2x16xf32>, tensor<1x2xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @nm_rows(%x: tensor<2x8xf32>, %v: tensor<1x4x16xf32>, %i: tensor<1x4xi32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op result has 1 rows, the input 2}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2} : tensor<2x8xf32>, tensor<1x4x16xf32>, tensor<1x4xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @nm_values(%x: tensor<1x8xf32>, %v: tensor<1x4x16xf32>, %i: tensor<2x4xi32>) -> tensor<1x20xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op values must be 2 x 4 x 16 (tiles of 16 of the 20 columns, K / m x n slots), got 1 x 4 x 16}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2} : tensor<1x8xf32>, tensor<1x4x16xf32>, tensor<2x4xi32> -> tensor<1x20xf32>
  return %y : tensor<1x20xf32>
}

// -----

func.func @nm_indices(%x: tensor<1x8xf32>, %v: tensor<1x4x16xf32>, %i: tensor<1x2xi32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op indices must be 1 x 4, got 1 x 2}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2} : tensor<1x8xf32>, tensor<1x4x16xf32>, tensor<1x2xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @nm_scales(%x: tensor<1x8xf32>, %v: tensor<1x4x16xi8>, %i: tensor<1x4xi32>, %s: tensor<8xf32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op scales must have one element per column (16), got 8}}
  %y = compress.nm_sparse_matmul %x, %v, %i scales(%s : tensor<8xf32>) {m = 4, n = 2} : tensor<1x8xf32>, tensor<1x4x16xi8>, tensor<1x4xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @nm_codes(%x: tensor<1x8xf32>, %v: tensor<1x4x16xi8>, %i: tensor<1x4xi32>) -> tensor<1x16xf32> {
  // expected-error @+1 {{'compress.nm_sparse_matmul' op i8 values need scales}}
  %y = compress.nm_sparse_matmul %x, %v, %i {m = 4, n = 2} : tensor<1x8xf32>, tensor<1x4x16xi8>, tensor<1x4xi32> -> tensor<1x16xf32>
  return %y : tensor<1x16xf32>
}

// -----

func.func @conv_kernel_size(%x: tensor<1x1x2x5xf32>, %o: tensor<3xi32>, %r: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x0x3xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op kernel 3 x 3 (dilated: 3 x 3) exceeds the 2 x 5 input}}
  %y = compress.sparse_conv %x, %o, %r, %v {group = 4, kernel = array<i64: 3, 3>} : tensor<1x1x2x5xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x0x3xf32>
  return %y : tensor<1x2x0x3xf32>
}

// -----

func.func @conv_dilation_zero(%x: tensor<1x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op dilations must be two positive factors [DH, DW], got [1, 0]}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>, dilations = array<i64: 1, 0>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

func.func @conv_dilated_too_wide(%x: tensor<1x2x4x4xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x2x1xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op kernel 3 x 3 (dilated: 3 x 5) exceeds the 4 x 4 input}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>, dilations = array<i64: 1, 2>} : tensor<1x2x4x4xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x2x1xf32>
  return %y : tensor<1x2x2x1xf32>
}

// -----

func.func @conv_dilated_output(%x: tensor<1x2x6x6xf32>, %o: tensor<3xi32>, %t: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'compress.sparse_conv' op result must be 2 x 4 for a 6 x 6 input and a 3 x 3 kernel with dilations 2 x 1, got 4 x 4}}
  %y = compress.sparse_conv %x, %o, %t, %v {group = 4, kernel = array<i64: 3, 3>, dilations = array<i64: 2, 1>} : tensor<1x2x6x6xf32>, tensor<3xi32>, tensor<4xi32>, tensor<4xf32> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
