//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// Implements the strict .npy reader and writer of the runtime. Files are read
// in three steps, each bounded before it allocates: the fixed-size preamble
// (magic, version, header length), the header (at most kMaxHeaderBytes), and
// the data (whose size the checked shape fixes and the file size must match).
//
//===----------------------------------------------------------------------===//

#include "compress/Runtime/Npy.h"
#include "compress/Runtime/RegularFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <limits>

using namespace mlir::compress;
using namespace mlir::compress::npy;
using llvm::StringRef;

/// Largest header (the Python dict) read; numpy writes well under 1 KiB.
static constexpr uint64_t kMaxHeaderBytes = 1 << 20;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string DType::descr() const {
  std::string result = bytes == 1 ? "|" : "<";
  switch (kind) {
  case Kind::Float:
    result += 'f';
    break;
  case Kind::SignedInt:
    result += 'i';
    break;
  case Kind::UnsignedInt:
    result += 'u';
    break;
  case Kind::Bool:
    result += 'b';
    break;
  }
  return result + std::to_string(bytes);
}

std::string DType::name() const {
  switch (kind) {
  case Kind::Float:
    return "float" + std::to_string(bytes * 8);
  case Kind::SignedInt:
    return "int" + std::to_string(bytes * 8);
  case Kind::UnsignedInt:
    return "uint" + std::to_string(bytes * 8);
  case Kind::Bool:
    return "bool";
  }
  return "unknown";
}

int64_t Array::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string mlir::compress::npy::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? "x" : "") + std::to_string(d);
  return text + "]";
}

llvm::Expected<uint64_t>
mlir::compress::npy::byteSize(const DType &dtype,
                              llvm::ArrayRef<int64_t> shape) {
  if (std::optional<uint64_t> bytes = checkedByteSize(dtype, shape))
    return *bytes;
  if (static_cast<int64_t>(shape.size()) > kMaxRank)
    return makeError("rank " + llvm::Twine(shape.size()) +
                     " is above the limit of " + llvm::Twine(kMaxRank));
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return makeError("shape " + formatShape(shape) +
                     " has a negative dimension");
  return makeError("shape " + formatShape(shape) +
                   " is too large (the product of its dimensions, zeros "
                   "counted as 1, must be at most " +
                   llvm::Twine(kMaxElements) + ")");
}

llvm::Expected<DType> mlir::compress::npy::parseDescr(StringRef descr) {
  if (descr.size() < 3)
    return makeError("unsupported dtype '" + descr + "'");
  char order = descr[0];
  char kindChar = descr[1];
  unsigned bytes = 0;
  if (descr.drop_front(2).getAsInteger(10, bytes))
    return makeError("unsupported dtype '" + descr + "'");
  if (order == '>' && bytes != 1)
    return makeError("big-endian dtype '" + descr + "' is not supported");
  if (order != '<' && order != '|' && order != '=' && order != '>')
    return makeError("unsupported dtype '" + descr + "'");
  DType dtype;
  dtype.bytes = bytes;
  switch (kindChar) {
  case 'f':
    dtype.kind = Kind::Float;
    if (bytes != 2 && bytes != 4 && bytes != 8)
      return makeError("unsupported dtype '" + descr + "'");
    return dtype;
  case 'i':
  case 'u':
    dtype.kind = kindChar == 'i' ? Kind::SignedInt : Kind::UnsignedInt;
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8)
      return makeError("unsupported dtype '" + descr + "'");
    return dtype;
  case 'b':
    dtype.kind = Kind::Bool;
    if (bytes != 1)
      return makeError("unsupported dtype '" + descr + "'");
    return dtype;
  default:
    return makeError("unsupported dtype '" + descr +
                     "' (only numeric "
                     "arrays can be read)");
  }
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// Returns the value text of `key` in a Python dict literal header, e.g.
/// "'<f4'" for 'descr'. Very small and strict: the header numpy writes.
static llvm::Expected<StringRef> findValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t pos = header.find(quoted);
  if (pos == StringRef::npos)
    return makeError("header lacks '" + key + "'");
  StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return makeError("malformed header near '" + key + "'");
  rest = rest.ltrim();
  size_t end;
  if (rest.starts_with("(")) {
    end = rest.find(')');
    if (end == StringRef::npos)
      return makeError("malformed shape in header");
    return rest.take_front(end + 1);
  }
  if (rest.starts_with("'") || rest.starts_with("\"")) {
    char quote = rest[0];
    end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return makeError("malformed string in header");
    return rest.take_front(end + 1);
  }
  end = rest.find_first_of(",}");
  if (end == StringRef::npos)
    return makeError("malformed header near '" + key + "'");
  return rest.take_front(end).rtrim();
}

/// The sizes of the preamble (magic, version, header length field) and of
/// the header that follows it.
struct Preamble {
  size_t prefixBytes;
  uint64_t headerBytes;
};

/// Parses the preamble from `head`, the first min(12, fileSize) bytes of a
/// file of `fileSize` bytes.
static llvm::Expected<Preamble> parsePreamble(StringRef head,
                                              uint64_t fileSize) {
  static const char magic[] = "\x93NUMPY";
  if (fileSize == 0)
    return makeError("not a .npy file (the file is empty)");
  // Whatever is there of the first six bytes must be the magic string.
  if (!StringRef(magic, 6).starts_with(head.take_front(6)))
    return makeError("not a .npy file (bad magic string)");
  if (fileSize < 10)
    return makeError("truncated header");
  unsigned major = static_cast<unsigned char>(head[6]);
  Preamble preamble;
  if (major == 1) {
    preamble.headerBytes = static_cast<unsigned char>(head[8]) |
                           (static_cast<unsigned char>(head[9]) << 8);
    preamble.prefixBytes = 10;
  } else if (major == 2 || major == 3) {
    if (fileSize < 12)
      return makeError("truncated header");
    preamble.headerBytes = 0;
    for (int i = 3; i >= 0; --i)
      preamble.headerBytes =
          (preamble.headerBytes << 8) | static_cast<unsigned char>(head[8 + i]);
    preamble.prefixBytes = 12;
  } else {
    return makeError("unsupported .npy version " + llvm::Twine(major));
  }
  if (fileSize < preamble.prefixBytes + preamble.headerBytes)
    return makeError("truncated header");
  if (preamble.headerBytes > kMaxHeaderBytes)
    return makeError("header of " + llvm::Twine(preamble.headerBytes) +
                     " bytes is longer than the limit of " +
                     llvm::Twine(kMaxHeaderBytes));
  return preamble;
}

/// Parses the header dict; checks the shape against the array limits.
static llvm::Expected<Header> parseHeaderDict(StringRef header) {
  header = header.trim();
  if (!header.starts_with("{") || !header.ends_with("}"))
    return makeError("malformed header (expected a dict)");

  auto descrText = findValue(header, "descr");
  if (!descrText)
    return descrText.takeError();
  if (descrText->size() < 2 ||
      !(descrText->starts_with("'") || descrText->starts_with("\"")))
    return makeError("unsupported dtype: structured arrays are not "
                     "supported");
  auto dtype = parseDescr(descrText->drop_front().drop_back());
  if (!dtype)
    return dtype.takeError();

  auto fortranText = findValue(header, "fortran_order");
  if (!fortranText)
    return fortranText.takeError();
  if (*fortranText == "True")
    return makeError("Fortran-ordered arrays are not supported (save a C "
                     "ordered copy, e.g. np.ascontiguousarray)");
  if (*fortranText != "False")
    return makeError("malformed fortran_order '" + *fortranText + "'");

  auto shapeText = findValue(header, "shape");
  if (!shapeText)
    return shapeText.takeError();
  if (shapeText->size() < 2 || !shapeText->starts_with("(") ||
      !shapeText->ends_with(")"))
    return makeError("malformed shape '" + *shapeText + "' (expected a tuple)");
  Header result;
  result.dtype = *dtype;
  StringRef dims = shapeText->drop_front().drop_back();
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',');
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return makeError("malformed shape " + *shapeText);
    if (static_cast<int64_t>(result.shape.size()) == kMaxRank)
      return makeError("shape " + *shapeText + " has more than " +
                       llvm::Twine(kMaxRank) + " dimensions");
    result.shape.push_back(dim);
  }
  llvm::Expected<uint64_t> bytes = byteSize(result.dtype, result.shape);
  if (!bytes)
    return bytes.takeError();
  result.dataBytes = *bytes;
  return result;
}

struct FileReader::Impl {
  std::string path;
  RegularFile file;
};

FileReader::FileReader(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
FileReader::FileReader(FileReader &&) = default;
FileReader::~FileReader() = default;

llvm::Expected<FileReader> FileReader::open(StringRef path) {
  llvm::Expected<RegularFile> file = RegularFile::open(path);
  if (!file)
    return makeError("cannot read '" + path +
                     "': " + llvm::toString(file.takeError()));
  auto invalid = [&](llvm::Error error) {
    return makeError("invalid .npy file '" + path +
                     "': " + llvm::toString(std::move(error)));
  };
  uint64_t fileSize = file->size();
  char head[12];
  llvm::MutableArrayRef<char> headRef(
      head, static_cast<size_t>(std::min<uint64_t>(fileSize, sizeof(head))));
  if (llvm::Error error = file->readExactly(headRef))
    return invalid(std::move(error));
  llvm::Expected<Preamble> preamble =
      parsePreamble(StringRef(head, headRef.size()), fileSize);
  if (!preamble)
    return invalid(preamble.takeError());

  // The header starts right after the preamble; `head` may hold its first
  // bytes already. (A header too short to cover them is not a dict.)
  std::string header(preamble->headerBytes, '\0');
  size_t inHead =
      std::min<size_t>(headRef.size() - preamble->prefixBytes, header.size());
  std::copy_n(head + preamble->prefixBytes, inHead, header.begin());
  if (llvm::Error error = file->readExactly(
          llvm::MutableArrayRef<char>(header).drop_front(inHead)))
    return invalid(std::move(error));
  llvm::Expected<Header> parsed = parseHeaderDict(header);
  if (!parsed)
    return invalid(parsed.takeError());
  if (header.size() < headRef.size() - preamble->prefixBytes)
    return invalid(makeError("malformed header (expected a dict)"));

  uint64_t available = fileSize - preamble->prefixBytes - preamble->headerBytes;
  if (available < parsed->dataBytes)
    return invalid(makeError("truncated data: expected " +
                             llvm::Twine(parsed->dataBytes) + " bytes, found " +
                             llvm::Twine(available)));
  if (available > parsed->dataBytes)
    return invalid(makeError("trailing data: expected " +
                             llvm::Twine(parsed->dataBytes) + " bytes, found " +
                             llvm::Twine(available)));
  FileReader reader(std::make_unique<Impl>(Impl{path.str(), std::move(*file)}));
  reader.fileHeader = std::move(*parsed);
  return reader;
}

llvm::Error FileReader::readData(llvm::MutableArrayRef<char> out) {
  if (out.size() != fileHeader.dataBytes)
    return makeError("internal: reading " + llvm::Twine(out.size()) +
                     " bytes of data from '" + impl->path + "', which has " +
                     llvm::Twine(fileHeader.dataBytes));
  if (llvm::Error error = impl->file.readExactly(out))
    return makeError("cannot read '" + impl->path +
                     "': " + llvm::toString(std::move(error)));
  return llvm::Error::success();
}

llvm::Expected<Array> mlir::compress::npy::read(StringRef path) {
  llvm::Expected<FileReader> reader = FileReader::open(path);
  if (!reader)
    return reader.takeError();
  Array array;
  array.dtype = reader->header().dtype;
  array.shape = reader->header().shape;
  llvm::Expected<Buffer> data = Buffer::allocate(reader->header().dataBytes);
  if (!data)
    return makeError("cannot read '" + path +
                     "': " + llvm::toString(data.takeError()));
  array.data = std::move(*data);
  if (llvm::Error error = reader->readData(array.data.ref()))
    return std::move(error);
  return array;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

std::string
mlir::compress::npy::serializeHeader(const DType &dtype,
                                     llvm::ArrayRef<int64_t> shape) {
  std::string shapeText = "(";
  for (int64_t d : shape)
    shapeText += std::to_string(d) + ", ";
  if (shape.size() > 1)
    shapeText.resize(shapeText.size() - 2);
  else if (shape.size() == 1)
    shapeText.resize(shapeText.size() - 1);
  shapeText += ")";
  std::string header = "{'descr': '" + dtype.descr() +
                       "', 'fortran_order': False, 'shape': " + shapeText +
                       ", }";
  // Pad with spaces so that magic + length + header + '\n' is a multiple of
  // 64 bytes, as numpy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string result("\x93NUMPY\x01\x00", 8);
  result += static_cast<char>(header.size() & 0xff);
  result += static_cast<char>((header.size() >> 8) & 0xff);
  return result + header;
}

llvm::Error mlir::compress::npy::writeFile(
    StringRef path, const DType &dtype, llvm::ArrayRef<int64_t> shape,
    llvm::function_ref<void(llvm::raw_ostream &)> writeData) {
  llvm::Expected<uint64_t> dataBytes = byteSize(dtype, shape);
  if (!dataBytes)
    return makeError("cannot write '" + path +
                     "': " + llvm::toString(dataBytes.takeError()));
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  os << serializeHeader(dtype, shape);
  uint64_t start = os.tell();
  writeData(os);
  uint64_t written = os.tell() - start;
  os.close();
  if (os.has_error()) {
    std::error_code writeError = os.error();
    os.clear_error();
    return makeError("cannot write '" + path + "': " + writeError.message());
  }
  if (written != *dataBytes)
    return makeError("internal: wrote " + llvm::Twine(written) +
                     " bytes of data to '" + path + "' instead of " +
                     llvm::Twine(*dataBytes));
  return llvm::Error::success();
}

llvm::Error mlir::compress::npy::write(StringRef path, const Array &array) {
  return writeFile(path, array.dtype, array.shape, [&](llvm::raw_ostream &os) {
    os.write(array.data.data(), static_cast<size_t>(array.data.size()));
  });
}
