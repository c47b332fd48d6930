//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// Implements the strict .npy reader and writer used by compress-run.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir::compress::npy;
using llvm::StringRef;

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

llvm::Expected<Array> mlir::compress::npy::parse(StringRef bytes) {
  static const char magic[] = "\x93NUMPY";
  if (bytes.empty())
    return makeError("not a .npy file (the file is empty)");
  // Whatever is there of the first six bytes must be the magic string.
  if (!StringRef(magic, 6).starts_with(bytes.take_front(6)))
    return makeError("not a .npy file (bad magic string)");
  if (bytes.size() < 10)
    return makeError("truncated header");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLength;
  size_t prefix;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(bytes[8]) |
                   (static_cast<unsigned char>(bytes[9]) << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return makeError("truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength =
          (headerLength << 8) | static_cast<unsigned char>(bytes[8 + i]);
    prefix = 12;
  } else {
    return makeError("unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < prefix + headerLength)
    return makeError("truncated header");
  StringRef header = bytes.substr(prefix, headerLength).trim();
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
  Array array;
  array.dtype = *dtype;
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
    array.shape.push_back(dim);
  }

  // Element count and byte size, guarding against overflow.
  uint64_t count = 1;
  for (int64_t d : array.shape) {
    if (d != 0 && count > std::numeric_limits<uint64_t>::max() / d)
      return makeError("shape " + *shapeText + " is too large");
    count *= d;
  }
  if (count > std::numeric_limits<uint64_t>::max() / array.dtype.bytes)
    return makeError("shape " + *shapeText + " is too large");
  uint64_t dataBytes = count * array.dtype.bytes;
  uint64_t available = bytes.size() - prefix - headerLength;
  if (available < dataBytes)
    return makeError("truncated data: expected " + llvm::Twine(dataBytes) +
                     " bytes, found " + llvm::Twine(available));
  if (available > dataBytes)
    return makeError("trailing data: expected " + llvm::Twine(dataBytes) +
                     " bytes, found " + llvm::Twine(available));
  StringRef data = bytes.substr(prefix + headerLength);
  array.data.assign(data.begin(), data.end());
  return array;
}

llvm::Expected<Array> mlir::compress::npy::read(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());
  auto array = parse((*buffer)->getBuffer());
  if (!array)
    return makeError("invalid .npy file '" + path +
                     "': " + llvm::toString(array.takeError()));
  return array;
}

std::string mlir::compress::npy::serialize(const Array &array) {
  std::string shape = "(";
  for (int64_t d : array.shape)
    shape += std::to_string(d) + ", ";
  if (array.shape.size() > 1)
    shape.resize(shape.size() - 2);
  else if (array.shape.size() == 1)
    shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = "{'descr': '" + array.dtype.descr() +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces so that magic + length + header + '\n' is a multiple of
  // 64 bytes, as numpy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string result("\x93NUMPY\x01\x00", 8);
  result += static_cast<char>(header.size() & 0xff);
  result += static_cast<char>((header.size() >> 8) & 0xff);
  result += header;
  result.append(array.data.begin(), array.data.end());
  return result;
}

llvm::Error mlir::compress::npy::write(StringRef path, const Array &array) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  os << serialize(array);
  os.close();
  if (os.has_error())
    return makeError("cannot write '" + path + "': " + os.error().message());
  return llvm::Error::success();
}
