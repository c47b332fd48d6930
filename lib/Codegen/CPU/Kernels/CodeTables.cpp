//===- CodeTables.cpp - Sub-byte weights decoded through tables -----------===//

#include "CodeTables.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::compress::kernels;

bool mlir::compress::kernels::isSubByteCodeType(Type type) {
  auto integer = dyn_cast<IntegerType>(type);
  return integer && integer.getWidth() <= 4;
}

/// The constant value of `value` (an arith.constant anywhere), or null.
static Attribute constantOf(Value value) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    return attr;
  return nullptr;
}

std::optional<CodeTable>
mlir::compress::kernels::planCodeTable(linalg::LinalgOp op, unsigned input) {
  Block *body = op.getBlock();
  BlockArgument code = body->getArgument(input);
  auto codeType = dyn_cast<IntegerType>(code.getType());
  if (!codeType || !isSubByteCodeType(codeType))
    return std::nullopt;

  // The ops computed from the code alone (and constants), in body order.
  CodeTable table;
  table.input = input;
  SmallVector<Operation *> ops;
  llvm::SmallPtrSet<Value, 8> fromCode{code};
  for (Operation &inner : body->without_terminator()) {
    if (inner.getNumRegions() != 0 || !isMemoryEffectFree(&inner) ||
        inner.getNumResults() != 1)
      continue;
    bool readsCode = false, onlyCode = true;
    for (Value operand : inner.getOperands()) {
      if (fromCode.contains(operand))
        readsCode = true;
      else if (!constantOf(operand))
        onlyCode = false;
    }
    if (!readsCode || !onlyCode)
      continue;
    ops.push_back(&inner);
    table.ops.insert(&inner);
    fromCode.insert(inner.getResult(0));
  }

  // What the rest of the body reads: 32-bit values, never the code itself.
  auto usedElsewhere = [&](Value value) {
    return llvm::any_of(value.getUsers(), [&](Operation *user) {
      return !table.ops.contains(user);
    });
  };
  if (usedElsewhere(code))
    return std::nullopt;
  SmallVector<Value> frontier;
  for (Operation *inner : ops) {
    Value result = inner->getResult(0);
    if (!usedElsewhere(result))
      continue;
    Type type = result.getType();
    if (!(type.isInteger(32) || type.isF32()))
      return std::nullopt;
    frontier.push_back(result);
  }

  // Fold the ops for every code.
  int64_t codes = int64_t(1) << codeType.getWidth();
  SmallVector<SmallVector<Attribute>> values(frontier.size());
  for (int64_t c = 0; c < 16; ++c) {
    if (c >= codes) {
      for (auto &column : values)
        column.push_back(column.front());
      continue;
    }
    DenseMap<Value, Attribute> known;
    known[code] = IntegerAttr::get(codeType, APInt(codeType.getWidth(), c));
    for (Operation *inner : ops) {
      SmallVector<Attribute> operands;
      for (Value operand : inner->getOperands())
        operands.push_back(known.contains(operand) ? known.lookup(operand)
                                                   : constantOf(operand));
      SmallVector<OpFoldResult> folded;
      // A fold that returns the op's own result changed it in place: none of
      // these ops does that with constant operands.
      if (failed(inner->fold(operands, folded)) || folded.size() != 1)
        return std::nullopt;
      Attribute result;
      if (auto attr = dyn_cast<Attribute>(folded.front()))
        result = attr;
      else if (Value value = cast<Value>(folded.front());
               value != inner->getResult(0))
        result =
            known.contains(value) ? known.lookup(value) : constantOf(value);
      if (!result || !isa<IntegerAttr, FloatAttr>(result))
        return std::nullopt;
      known[inner->getResult(0)] = result;
    }
    for (auto [column, value] : llvm::zip_equal(values, frontier))
      column.push_back(known.lookup(value));
  }
  for (auto [value, column] : llvm::zip_equal(frontier, values))
    table.entries.emplace_back(
        value,
        DenseElementsAttr::get(VectorType::get({16}, value.getType()), column));
  return table;
}
