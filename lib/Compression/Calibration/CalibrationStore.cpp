//===- CalibrationStore.cpp - The calibration file format -----------------===//
//
// Implements the calibration store: the JSON reader (which checks every
// member it knows), the Gram matrix .npy reader, and the writer (JSON through
// a temporary file, Gram matrices streamed row by row).
//
//===----------------------------------------------------------------------===//

#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Runtime/Npy.h"
#include "compress/Runtime/RegularFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cmath>

using namespace mlir::compress;
using namespace mlir::compress::calibration;
using llvm::StringRef;
namespace json = llvm::json;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// "calibration file 'PATH': MESSAGE".
static llvm::Error fileError(StringRef path, const llvm::Twine &message) {
  return makeError("calibration file '" + path + "': " + message);
}

const Range *TensorStats::findRange(StringRef method) const {
  for (const auto &[name, range] : ranges)
    if (name == method)
      return &range;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Gram file names
//===----------------------------------------------------------------------===//

std::string calibration::gramDirectoryName(StringRef jsonPath) {
  StringRef name = llvm::sys::path::filename(jsonPath);
  name.consume_back(".json");
  return (name + ".gram").str();
}

std::string calibration::gramFileName(StringRef key) {
  std::string name;
  for (char c : key.take_front(100))
    name += llvm::isAlnum(c) || c == '.' || c == '_' || c == '-' ? c : '_';
  if (!name.empty() && name[0] == '.')
    name[0] = '_';
  uint32_t hash = static_cast<uint32_t>(llvm::xxh3_64bits(key));
  return name + "-" + llvm::utohexstr(hash, /*LowerCase=*/true, 8) + ".npy";
}

//===----------------------------------------------------------------------===//
// Reading the JSON file
//===----------------------------------------------------------------------===//

namespace {
/// Parses the members of one tensor entry; errors are relative to the entry
/// ("\"count\" must be ...").
class TensorParser {
public:
  TensorParser(StringRef key, const json::Object &entry)
      : key(key), entry(entry) {}

  llvm::Expected<TensorStats> parse();

private:
  llvm::Error error(const llvm::Twine &message) {
    return makeError("tensor '" + key + "': " + message);
  }
  /// Reads optional member `name` as a non-negative integer into `out`.
  llvm::Error parseCount(StringRef name, int64_t &out);
  llvm::Error parseRanges(TensorStats &stats);
  llvm::Error parseHistogram(TensorStats &stats);
  llvm::Error parseGram(TensorStats &stats);

  StringRef key;
  const json::Object &entry;
};
} // namespace

llvm::Error TensorParser::parseCount(StringRef name, int64_t &out) {
  const json::Value *value = entry.get(name);
  if (!value)
    return llvm::Error::success();
  std::optional<int64_t> number = value->getAsInteger();
  if (!number || *number < 0)
    return error("\"" + name + "\" must be a non-negative integer");
  out = *number;
  return llvm::Error::success();
}

llvm::Error TensorParser::parseRanges(TensorStats &stats) {
  const json::Value *value = entry.get("ranges");
  if (!value)
    return llvm::Error::success();
  const json::Object *ranges = value->getAsObject();
  if (!ranges)
    return error("\"ranges\" must be an object");
  // json::Object does not keep the order of the file: sort by name.
  std::vector<StringRef> names;
  for (const auto &member : *ranges)
    names.push_back(member.first);
  llvm::sort(names);
  for (StringRef name : names) {
    const json::Array *pair = ranges->getArray(name);
    std::optional<double> lo, hi;
    if (pair && pair->size() == 2) {
      lo = (*pair)[0].getAsNumber();
      hi = (*pair)[1].getAsNumber();
    }
    if (!lo || !hi || !std::isfinite(*lo) || !std::isfinite(*hi) || *lo > *hi)
      return makeError("tensor '" + key + "' has no valid \"" + name +
                       "\" range [lo, hi]");
    stats.ranges.emplace_back(name.str(), Range{*lo, *hi});
  }
  return llvm::Error::success();
}

llvm::Error TensorParser::parseHistogram(TensorStats &stats) {
  const json::Value *value = entry.get("histogram");
  if (!value)
    return llvm::Error::success();
  const json::Object *object = value->getAsObject();
  std::optional<double> range =
      object ? object->getNumber("range") : std::nullopt;
  const json::Array *bins = object ? object->getArray("bins") : nullptr;
  if (!range || !(*range > 0) || !std::isfinite(*range) || !bins ||
      bins->empty() || static_cast<int64_t>(bins->size()) > kMaxHistogramBins)
    return error("\"histogram\" must be {\"range\": R > 0, \"bins\": [1 to " +
                 llvm::Twine(kMaxHistogramBins) + " counts]}");
  Histogram histogram;
  histogram.range = *range;
  histogram.bins.reserve(bins->size());
  for (const json::Value &bin : *bins) {
    std::optional<uint64_t> count = bin.getAsUINT64();
    if (!count)
      return error("histogram bins must be non-negative integers");
    histogram.bins.push_back(*count);
  }
  stats.histogram = std::move(histogram);
  return llvm::Error::success();
}

llvm::Error TensorParser::parseGram(TensorStats &stats) {
  const json::Value *value = entry.get("gram");
  if (!value)
    return llvm::Error::success();
  const json::Object *object = value->getAsObject();
  std::optional<int64_t> size =
      object ? object->getInteger("size") : std::nullopt;
  std::optional<int64_t> rows =
      object ? object->getInteger("rows") : std::nullopt;
  std::optional<StringRef> file =
      object ? object->getString("file") : std::nullopt;
  if (!size || *size < 0 || *size > kMaxGramSize || !rows || *rows < 0 || !file)
    return error("\"gram\" must be {\"size\": 0 to " +
                 llvm::Twine(kMaxGramSize) +
                 ", \"rows\": R >= 0, \"file\": \"DIR/NAME.npy\"}");
  // The file is beside the JSON file: a relative path without "..", whose
  // name is the one derived from this key (a file of another tensor is a
  // key mismatch).
  llvm::SmallVector<StringRef> parts;
  file->split(parts, '/');
  if (llvm::sys::path::is_absolute(*file) || file->contains('\\') ||
      llvm::is_contained(parts, "..") || llvm::is_contained(parts, ""))
    return error("Gram file '" + *file +
                 "' must be a relative path below the calibration file's "
                 "directory");
  std::string expected = gramFileName(key);
  if (parts.back() != expected)
    return error("Gram file '" + *file +
                 "' belongs to another tensor (the file of '" + key +
                 "' is named '" + expected + "')");
  stats.gram = GramInfo{*size, *rows, file->str()};
  return llvm::Error::success();
}

llvm::Expected<TensorStats> TensorParser::parse() {
  TensorStats stats;
  if (llvm::Error error = parseCount("count", stats.count))
    return std::move(error);
  if (llvm::Error error = parseCount("nans", stats.nans))
    return std::move(error);
  if (llvm::Error error = parseCount("infs", stats.infs))
    return std::move(error);
  for (auto [name, out] :
       {std::pair<StringRef, std::optional<double> *>{"min", &stats.min},
        {"max", &stats.max}}) {
    const json::Value *value = entry.get(name);
    if (!value)
      continue;
    std::optional<double> number = value->getAsNumber();
    if (!number || !std::isfinite(*number))
      return error("\"" + name + "\" must be a finite number");
    *out = *number;
  }
  if (llvm::Error error = parseRanges(stats))
    return std::move(error);
  if (llvm::Error error = parseHistogram(stats))
    return std::move(error);
  if (llvm::Error error = parseGram(stats))
    return std::move(error);
  return stats;
}

/// Checks the top-level members and returns the "tensors" object.
static llvm::Expected<const json::Object *> checkRoot(const json::Value &root,
                                                      int64_t &batches) {
  const json::Object *object = root.getAsObject();
  if (!object)
    return makeError("expected an object with a \"tensors\" member");
  const json::Value *version = object->get("version");
  if (!version)
    return makeError("missing \"version\" (this build reads version " +
                     llvm::Twine(kStoreVersion) + ")");
  std::optional<int64_t> number = version->getAsInteger();
  if (!number)
    return makeError("\"version\" must be an integer");
  if (*number != kStoreVersion)
    return makeError("unsupported version " + llvm::Twine(*number) +
                     " (this build reads version " +
                     llvm::Twine(kStoreVersion) +
                     "; calibrate again with compress-run --calibration-out)");
  if (const json::Value *value = object->get("batches")) {
    std::optional<int64_t> count = value->getAsInteger();
    if (!count || *count < 0)
      return makeError("\"batches\" must be a non-negative integer");
    batches = *count;
  }
  const json::Object *tensors = object->getObject("tensors");
  if (!tensors)
    return makeError("expected an object with a \"tensors\" member");
  return tensors;
}

llvm::Expected<Store> Store::read(StringRef path) {
  llvm::Expected<std::string> text = readRegularFile(path, kMaxJsonBytes);
  if (!text)
    return fileError(path, "cannot read it: " + toString(text.takeError()));
  llvm::Expected<json::Value> root = json::parse(*text);
  if (!root)
    return fileError(path, "invalid JSON: " + toString(root.takeError()));
  Store store;
  store.jsonPath = path.str();
  llvm::Expected<const json::Object *> tensors =
      checkRoot(*root, store.batchCount);
  if (!tensors)
    return fileError(path, toString(tensors.takeError()));
  for (const auto &[objectKey, value] : **tensors) {
    StringRef key = objectKey;
    const json::Object *entry = value.getAsObject();
    if (!entry)
      return fileError(path, "tensor '" + key + "' must be an object");
    llvm::Expected<TensorStats> stats = TensorParser(key, *entry).parse();
    if (!stats)
      return fileError(path, toString(stats.takeError()));
    store.tensors[key] = std::move(*stats);
  }
  return store;
}

std::vector<StringRef> Store::keys() const {
  std::vector<StringRef> result;
  for (const auto &entry : tensors)
    result.push_back(entry.getKey());
  llvm::sort(result);
  return result;
}

const TensorStats *Store::lookup(StringRef key) const {
  auto it = tensors.find(key);
  return it == tensors.end() ? nullptr : &it->second;
}

//===----------------------------------------------------------------------===//
// Reading Gram matrices
//===----------------------------------------------------------------------===//

llvm::Expected<std::vector<double>> Store::readGram(StringRef key) const {
  const TensorStats *stats = lookup(key);
  if (!stats)
    return makeError("calibration file '" + jsonPath + "' has no entry for '" +
                     key + "'");
  if (!stats->gram)
    return fileError(jsonPath, "tensor '" + key + "' has no Gram matrix");
  const GramInfo &gram = *stats->gram;
  llvm::SmallString<256> gramPath(llvm::sys::path::parent_path(jsonPath));
  llvm::sys::path::append(gramPath, gram.file);
  auto error = [&](const llvm::Twine &message) {
    return fileError(jsonPath,
                     "Gram matrix of tensor '" + key + "': " + message);
  };

  llvm::Expected<npy::FileReader> reader = npy::FileReader::open(gramPath);
  if (!reader)
    return error(toString(reader.takeError()));
  const npy::Header &header = reader->header();
  npy::DType f64{npy::Kind::Float, 8};
  if (header.dtype != f64)
    return error("'" + gramPath + "' has dtype " + header.dtype.name() +
                 ", expected float64");
  std::vector<int64_t> shape = {gram.size, gram.size};
  if (header.shape != shape)
    return error("'" + gramPath + "' has shape " +
                 npy::formatShape(header.shape) + ", expected " +
                 npy::formatShape(shape) + " (\"size\" " +
                 llvm::Twine(gram.size) + ")");
  // The shape was checked against kMaxGramSize, so this is at most 128 MiB.
  std::vector<double> values(static_cast<size_t>(gram.size * gram.size));
  if (llvm::Error readError = reader->readData(
          llvm::MutableArrayRef<char>(reinterpret_cast<char *>(values.data()),
                                      values.size() * sizeof(double))))
    return error(toString(std::move(readError)));
  if (!llvm::sys::IsLittleEndianHost)
    for (double &v : values)
      v = llvm::bit_cast<double>(llvm::byteswap(llvm::bit_cast<uint64_t>(v)));
  if (!llvm::all_of(values, [](double v) { return std::isfinite(v); }))
    return error("'" + gramPath + "' contains a non-finite value");
  return values;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

/// Writes an array on a single line even when `j` indents.
static void
writeCompactArray(json::OStream &j,
                  llvm::function_ref<void(json::OStream &)> elements) {
  j.rawValue([&](llvm::raw_ostream &os) {
    json::OStream compact(os);
    compact.array([&] { elements(compact); });
  });
}

static void writeTensor(json::OStream &j, const TensorStats &stats,
                        StringRef gramFile) {
  j.attribute("count", stats.count);
  if (stats.min)
    j.attribute("min", *stats.min);
  if (stats.max)
    j.attribute("max", *stats.max);
  j.attribute("nans", stats.nans);
  j.attribute("infs", stats.infs);
  if (!stats.ranges.empty())
    j.attributeObject("ranges", [&] {
      for (const auto &[name, range] : stats.ranges) {
        j.attributeBegin(name);
        writeCompactArray(j, [&](json::OStream &array) {
          array.value(range.lo);
          array.value(range.hi);
        });
        j.attributeEnd();
      }
    });
  if (stats.histogram)
    j.attributeObject("histogram", [&] {
      j.attribute("range", stats.histogram->range);
      j.attributeBegin("bins");
      writeCompactArray(j, [&](json::OStream &array) {
        for (uint64_t bin : stats.histogram->bins)
          array.value(bin);
      });
      j.attributeEnd();
    });
  if (stats.gram)
    j.attributeObject("gram", [&] {
      j.attribute("size", stats.gram->size);
      j.attribute("rows", stats.gram->rows);
      j.attribute("file", gramFile);
    });
}

/// Writes the n x n Gram matrix `tensor` to `path`, one row at a time.
static llvm::Error writeGramFile(StringRef path, size_t tensor, int64_t n,
                                 GramRowFn gramRow) {
  std::vector<double> row(n);
  return npy::writeFile(path, npy::DType{npy::Kind::Float, 8}, {n, n},
                        [&](llvm::raw_ostream &os) {
                          for (int64_t r = 0; r < n; ++r) {
                            gramRow(tensor, r, row);
                            if (!llvm::sys::IsLittleEndianHost)
                              for (double &v : row)
                                v = llvm::bit_cast<double>(llvm::byteswap(
                                    llvm::bit_cast<uint64_t>(v)));
                            os.write(reinterpret_cast<const char *>(row.data()),
                                     row.size() * sizeof(double));
                          }
                        });
}

/// Writes the Gram files of `tensors` into `directory` (named `dirName` in
/// the JSON file) and returns the path each tensor's entry refers to.
static llvm::Expected<std::vector<std::string>>
writeGramFiles(StringRef path, StringRef directory, StringRef dirName,
               llvm::ArrayRef<TensorRecord> tensors, GramRowFn gramRow) {
  std::vector<std::string> files(tensors.size());
  llvm::StringMap<StringRef> owners;
  for (auto [i, record] : llvm::enumerate(tensors)) {
    if (!record.stats.gram)
      continue;
    if (record.stats.gram->size < 0 || record.stats.gram->size > kMaxGramSize)
      return makeError("cannot write calibration file '" + path +
                       "': Gram matrix of '" + record.key + "' has order " +
                       llvm::Twine(record.stats.gram->size));
    std::string name = gramFileName(record.key);
    auto [it, inserted] = owners.try_emplace(name, record.key);
    if (!inserted)
      return makeError("cannot write calibration file '" + path +
                       "': tensors '" + it->second + "' and '" + record.key +
                       "' would share the Gram file '" + name + "'");
    if (owners.size() == 1)
      if (std::error_code ec = llvm::sys::fs::create_directories(directory))
        return makeError("cannot create the Gram directory '" + directory +
                         "' of calibration file '" + path +
                         "': " + ec.message());
    llvm::SmallString<256> gramPath(directory);
    llvm::sys::path::append(gramPath, name);
    if (llvm::Error error =
            writeGramFile(gramPath, i, record.stats.gram->size, gramRow))
      return makeError("cannot write calibration file '" + path +
                       "': " + toString(std::move(error)));
    files[i] = (dirName + "/" + name).str();
  }
  return files;
}

llvm::Error calibration::writeStore(StringRef path, int64_t batches,
                                    llvm::ArrayRef<TensorRecord> tensors,
                                    GramRowFn gramRow) {
  // Refuse what the reader would refuse before anything is written.
  for (const TensorRecord &record : tensors) {
    if (!json::isUTF8(record.key))
      return makeError("cannot write calibration file '" + path +
                       "': tensor key '" + json::fixUTF8(record.key) +
                       "' is not valid UTF-8");
    for (const auto &[name, range] : record.stats.ranges)
      if (!std::isfinite(range.lo) || !std::isfinite(range.hi) ||
          range.lo > range.hi)
        return makeError("cannot write calibration file '" + path +
                         "': tensor '" + record.key + "' has no valid \"" +
                         name + "\" range [lo, hi]");
  }

  // Open the JSON file first (as a temporary file beside it), so that an
  // unwritable location is reported before any Gram file is written.
  int fd;
  llvm::SmallString<256> tempPath;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, tempPath))
    return makeError("cannot open calibration file '" + path +
                     "': " + ec.message());
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  auto fail = [&](llvm::Error error) {
    os.close();
    os.clear_error();
    llvm::sys::fs::remove(tempPath);
    return error;
  };

  std::string dirName = gramDirectoryName(path);
  llvm::SmallString<256> directory(llvm::sys::path::parent_path(path));
  llvm::sys::path::append(directory, dirName);
  llvm::Expected<std::vector<std::string>> files =
      writeGramFiles(path, directory, dirName, tensors, gramRow);
  if (!files)
    return fail(files.takeError());

  json::OStream j(os, /*IndentSize=*/2);
  j.object([&] {
    j.attribute("version", kStoreVersion);
    j.attribute("batches", batches);
    j.attributeObject("tensors", [&] {
      for (auto [i, record] : llvm::enumerate(tensors))
        j.attributeObject(record.key,
                          [&] { writeTensor(j, record.stats, (*files)[i]); });
    });
  });
  os << '\n';
  os.close();
  if (os.has_error())
    return fail(makeError("cannot write calibration file '" + path +
                          "': " + os.error().message()));
  if (std::error_code ec = llvm::sys::fs::rename(tempPath, path))
    return fail(makeError("cannot write calibration file '" + path +
                          "': " + ec.message()));
  return llvm::Error::success();
}
