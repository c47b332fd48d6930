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
