//===- RegisterTranspose.cpp - Transposes of vectors in registers ---------===//
//
// Columns are padded to a power of two P of rows and joined pairwise until
// each vector holds `lanes` elements, then each of log2(P) butterfly steps
// splits the elements of a pair of vectors by one bit of their row. Every
// step is a two-source vector.shuffle (vpermt2ps with AVX-512).
//
//===----------------------------------------------------------------------===//

#include "RegisterTranspose.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <numeric>

using namespace mlir;

SmallVector<Value> mlir::compress::kernels::transposeInRegisters(
    OpBuilder &b, Location loc, ArrayRef<Value> columns, unsigned rows) {
  struct Labeled {
    Value value;
    SmallVector<std::pair<unsigned, unsigned>> at; // (lane, row) per element
  };
  // A shuffle of x and y into the elements `want`, in that order.
  auto shuffle = [&](const Labeled &x, const Labeled &y,
                     SmallVector<std::pair<unsigned, unsigned>> want) {
    SmallVector<int64_t> mask;
    for (const auto &label : want) {
      const auto *in = llvm::find(x.at, label);
      mask.push_back(in != x.at.end()
                         ? in - x.at.begin()
                         : static_cast<int64_t>(x.at.size()) +
                               (llvm::find(y.at, label) - y.at.begin()));
    }
    return Labeled{vector::ShuffleOp::create(b, loc, x.value, y.value, mask),
                   std::move(want)};
  };
  unsigned padded = llvm::PowerOf2Ceil(rows);
  SmallVector<Labeled> vectors;
  for (auto [lane, column] : llvm::enumerate(columns)) {
    Labeled labeled{column, {}};
    for (unsigned row = 0; row < padded; ++row)
      labeled.at.push_back({static_cast<unsigned>(lane), row});
    if (padded != rows) {
      // Rows past the last repeat the first element (never used).
      SmallVector<int64_t> mask(padded, 0);
      std::iota(mask.begin(), mask.begin() + rows, 0);
      labeled.value = vector::ShuffleOp::create(b, loc, column, column, mask);
    }
    vectors.push_back(std::move(labeled));
  }
  while (vectors.size() > padded) {
    SmallVector<Labeled> joined;
    for (unsigned i = 0; i < vectors.size(); i += 2) {
      SmallVector<std::pair<unsigned, unsigned>> both(vectors[i].at);
      llvm::append_range(both, vectors[i + 1].at);
      joined.push_back(shuffle(vectors[i], vectors[i + 1], std::move(both)));
    }
    vectors = std::move(joined);
  }
  // Vector i holds rows whose low bits below `bit` are those of i; the
  // step keeps in i the rows whose `bit` is i's too (lane-major order, so
  // that the last step leaves lanes in order).
  for (unsigned bit = 1; bit < padded; bit <<= 1) {
    SmallVector<Labeled> next(vectors.size());
    for (unsigned i = 0; i < padded; ++i) {
      if (i & bit)
        continue;
      SmallVector<std::pair<unsigned, unsigned>> clear, set;
      for (const Labeled *v : {&vectors[i], &vectors[i | bit]})
        for (const auto &label : v->at)
          (label.second & bit ? set : clear).push_back(label);
      llvm::sort(clear);
      llvm::sort(set);
      next[i] = shuffle(vectors[i], vectors[i | bit], std::move(clear));
      next[i | bit] = shuffle(vectors[i], vectors[i | bit], std::move(set));
    }
    vectors = std::move(next);
  }
  return llvm::map_to_vector(ArrayRef(vectors).take_front(rows),
                             [](const Labeled &v) { return v.value; });
}
