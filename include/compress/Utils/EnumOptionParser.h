//===- EnumOptionParser.h - Enum pass options with clear errors -*- C++ -*-===//
//
// The command-line parser of enum-valued pass options (ODS `Option`s whose
// type is a C++ enum and whose values come from `::llvm::cl::values`). It
// behaves like `llvm::cl::parser<E>`, except that an unknown value is
// reported with the values the option accepts:
//
//   for the --granularity option: unknown value 'per-row' (expected
//   per-tensor, per-channel or per-group)
//
// instead of "Cannot find option named 'per-row'!". An enum opts in by
// specializing `llvm::cl::parser` next to its declaration:
//
//   template <>
//   class llvm::cl::parser<E> : public mlir::compress::EnumOptionParser<E> {
//   public:
//     using EnumOptionParser::EnumOptionParser;
//   };
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_UTILS_ENUMOPTIONPARSER_H
#define COMPRESS_UTILS_ENUMOPTIONPARSER_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <cstdio>
#include <string>

namespace mlir::compress {

/// `llvm::cl::parser<DataType>` with an error message that lists the
/// accepted values. The member names (`Values`, `OptionInfo::V`) are those of
/// `llvm::cl::parser`, which MLIR's pass option machinery reads to print an
/// option's value.
template <typename DataType>
class EnumOptionParser : public llvm::cl::generic_parser_base {
protected:
  class OptionInfo : public GenericOptionInfo {
  public:
    OptionInfo(llvm::StringRef name, DataType value, llvm::StringRef help)
        : GenericOptionInfo(name, help), V(value) {}

    llvm::cl::OptionValue<DataType> V;
  };
  llvm::SmallVector<OptionInfo, 4> Values;

public:
  using parser_data_type = DataType;

  EnumOptionParser(llvm::cl::Option &owner) : generic_parser_base(owner) {}

  unsigned getNumOptions() const override { return Values.size(); }
  llvm::StringRef getOption(unsigned n) const override {
    return Values[n].Name;
  }
  llvm::StringRef getDescription(unsigned n) const override {
    return Values[n].HelpStr;
  }
  const llvm::cl::GenericOptionValue &
  getOptionValue(unsigned n) const override {
    return Values[n].V;
  }

  /// Returns true (and reports the accepted values) when `arg` is not one of
  /// them.
  bool parse(llvm::cl::Option &option, llvm::StringRef argName,
             llvm::StringRef arg, DataType &value) {
    llvm::StringRef text = Owner.hasArgStr() ? arg : argName;
    for (const OptionInfo &info : Values) {
      if (info.Name == text) {
        value = info.V.getValue();
        return false;
      }
    }
    std::string expected;
    for (auto [i, info] : llvm::enumerate(Values)) {
      if (i > 0)
        expected += i + 1 == Values.size() ? " or " : ", ";
      expected += info.Name;
    }
    return option.error("unknown value '" + text + "' (expected " + expected +
                        ")");
  }

  /// Adds `name` for `value` (called by `llvm::cl::values`).
  template <typename T>
  void addLiteralOption(llvm::StringRef name, const T &value,
                        llvm::StringRef help) {
    Values.emplace_back(name, static_cast<DataType>(value), help);
    llvm::cl::AddLiteralOption(Owner, name);
  }
};

/// The command-line spelling of an enum pass option's value, e.g.
/// "per-channel".
template <typename OptionT> llvm::StringRef enumValueName(OptionT &option) {
  return option.getParser()
      .findArgStrForValue(option.getValue())
      .value_or("<unknown>");
}

/// `name=value` of an enum pass option, e.g. "granularity=per-channel", for
/// error messages that name the options in conflict.
template <typename OptionT> std::string spellEnumOption(OptionT &option) {
  return (option.ArgStr + "=" + enumValueName(option)).str();
}

/// A numeric option's value as printf's %g spells it (0.9, -0.5, 1e-05),
/// for error messages.
inline std::string spellNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

} // namespace mlir::compress

#endif // COMPRESS_UTILS_ENUMOPTIONPARSER_H
