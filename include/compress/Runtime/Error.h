//===- Error.h - Errors of the runtime library ------------------*- C++ -*-===//
//
// Every failure of the runtime is an llvm::Error whose message is complete
// (it names the file, function or argument at fault). Errors made by the
// runtime carry a category as well, which the C API reports as a status
// code.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_ERROR_H
#define COMPRESS_RUNTIME_ERROR_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::compress::runtime {

/// What kind of failure an error is.
enum class ErrorCode {
  /// Bad arguments: counts, dtypes, ranks, shapes, options, repeat counts.
  InvalidArgument = 1,
  /// No such function, or a function that cannot be called.
  NotFound,
  /// The module cannot be read, parsed, lowered or JIT-compiled.
  CompileFailed,
  /// The call itself failed (e.g. an unresolved symbol), or its results
  /// cannot be returned.
  CallFailed,
  /// A file cannot be read or written.
  IOError,
  /// Memory for an array cannot be allocated.
  OutOfMemory,
};

/// An error with a category.
class RuntimeError : public llvm::ErrorInfo<RuntimeError> {
public:
  static char ID;

  RuntimeError(ErrorCode code, std::string message)
      : code(code), message(std::move(message)) {}

  ErrorCode getCode() const { return code; }
  const std::string &getMessage() const { return message; }

  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

private:
  ErrorCode code;
  std::string message;
};

/// Makes a RuntimeError.
llvm::Error makeError(ErrorCode code, const llvm::Twine &message);

/// Converts `error` (which must be a failure) to a message and a code;
/// errors without a category count as `fallback`.
std::string takeMessage(llvm::Error error, ErrorCode fallback, ErrorCode &code);

} // namespace mlir::compress::runtime

#endif // COMPRESS_RUNTIME_ERROR_H
