//===- Error.cpp - Errors of the runtime library --------------------------===//

#include "compress/Runtime/Error.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir::compress::runtime;

char RuntimeError::ID = 0;

void RuntimeError::log(llvm::raw_ostream &os) const { os << message; }

std::error_code RuntimeError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

llvm::Error mlir::compress::runtime::makeError(ErrorCode code,
                                               const llvm::Twine &message) {
  return llvm::make_error<RuntimeError>(code, message.str());
}

std::string mlir::compress::runtime::takeMessage(llvm::Error error,
                                                 ErrorCode fallback,
                                                 ErrorCode &code) {
  code = fallback;
  std::string message;
  llvm::handleAllErrors(
      std::move(error),
      [&](const RuntimeError &runtimeError) {
        code = runtimeError.getCode();
        message = runtimeError.getMessage();
      },
      [&](const llvm::ErrorInfoBase &other) {
        if (!message.empty())
          message += "; ";
        message += other.message();
      });
  return message;
}
