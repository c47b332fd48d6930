//===- FuzzerDriver.cpp - Seeded mutation driver for fuzz targets ---------===//
//
// main() of the compress fuzz targets: a deterministic mutation fuzzer for
// any function with libFuzzer's interface (`LLVMFuzzerTestOneInput`, and
// optionally `LLVMFuzzerInitialize`). It exists because libFuzzer learns
// from coverage instrumentation that only clang emits, and the project is
// built with g++; linked into g++ code, libFuzzer mutates blindly and
// reproduces nothing.
//
// Inputs are numbered. The first ones are the corpus (files, or every file
// with one of the `-ext` suffixes under a directory, optionally cut into
// pieces at `-split` lines); input `corpus + k` is the k-th mutation, a
// function of `-seed`, `k` and the corpus only, so any input of a run can be
// rebuilt, and a run with the same flags and corpus executes the same
// inputs. A mutation applies 1 to 8 byte, line and token edits (bit flips,
// interesting bytes and numbers, deleted/duplicated/swapped lines, lines and
// tokens spliced in from other corpus inputs, one token replaced by another
// everywhere) to one corpus input; with `-text=1`, 1 to 3 edits, nine in ten
// of them line or token edits, which keep more text inputs parseable.
//
// A supervisor process forks the runner and watches it: when the runner
// dies (a crash, an abort, a sanitizer report) or an input runs longer than
// `-timeout` seconds, the supervisor writes the input to
// `<artifact_prefix>crash-<n>` or `timeout-<n>`, prints how to reproduce it
// and exits with 1, unless the crash report's stack shows a bug of LLVM/MLIR
// (`-upstream_frame`, `-own_frame`): that input is kept as
// `upstream-crash-<n>` and a new runner goes on with the next input. A file
// given on the command line is one input (split with `-split` if given), so
// `compress-fuzz-X crash-123` replays a crash.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc,
                                                          char ***argv);

using llvm::StringRef;

namespace {

/// The driver's flags (libFuzzer's spelling where libFuzzer has the flag).
struct Flags {
  uint64_t seed = 1;
  /// Mutated inputs to run after the corpus; -1: until -max_total_time.
  int64_t runs = 0;
  /// Seconds after which no new mutated input starts; 0: no limit.
  double maxTotalTime = 0;
  /// Seconds one input may run.
  double timeout = 20;
  /// The largest mutated input in bytes.
  size_t maxLen = 1 << 16;
  /// Where crash and timeout inputs are written.
  std::string artifactPrefix = "./";
  /// Corpus files are cut into inputs at lines equal to this (e.g. the
  /// `// -----` of -split-input-file tests); empty: whole files.
  std::string split;
  /// Inputs are text: fewer edits per mutation, mostly of lines and tokens.
  bool text = false;
  /// Suffixes of the files taken from corpus directories; empty: all.
  llvm::SmallVector<std::string> extensions;
  /// A crash whose stack has a frame containing one of `upstreamFrames` and
  /// none containing one of `ownFrames` is a bug of LLVM/MLIR: its input is
  /// kept as upstream-crash-<n> and the run goes on.
  llvm::SmallVector<std::string> upstreamFrames, ownFrames;
  /// Go on after a crash or timeout (saved as usual) and fail at the end.
  bool keepGoing = false;
  /// Tests of the driver itself: an input containing `selfTestCrash` aborts
  /// in selfTestCrash(), one containing `selfTestHang` never returns.
  std::string selfTestCrash, selfTestHang;
  std::vector<std::string> paths;
};

/// One corpus input and where it came from.
struct CorpusInput {
  std::string data;
  std::string origin;
};

/// What the runner shares with the supervisor (in shared memory).
struct SharedState {
  /// The input being run, or -1 between inputs.
  std::atomic<int64_t> current;
  /// When it started (steady clock, nanoseconds).
  std::atomic<int64_t> startedNs;
  /// Inputs run so far.
  std::atomic<int64_t> executed;
};

} // namespace

static int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {
/// SplitMix64: a small generator whose output is the same everywhere.
class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// A number in [0, n); 0 when n is 0.
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool oneIn(uint64_t n) { return below(n) == 0; }

private:
  uint64_t state;
};

} // namespace

static bool isTokenChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$' || c == '-' ||
         c == '#' || c == '@' || c == '%' || c == '!' || c == '^';
}

/// [begin, end) of the token containing or following `pos`, if any.
static std::pair<size_t, size_t> tokenAt(StringRef text, size_t pos) {
  while (pos < text.size() && !isTokenChar(text[pos]))
    ++pos;
  if (pos >= text.size())
    return {text.size(), text.size()};
  size_t begin = pos;
  while (begin > 0 && isTokenChar(text[begin - 1]))
    --begin;
  size_t end = pos;
  while (end < text.size() && isTokenChar(text[end]))
    ++end;
  return {begin, end};
}

/// [begin, end) of the line containing `pos`, without its newline.
static std::pair<size_t, size_t> lineAt(StringRef text, size_t pos) {
  size_t begin = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  begin = begin == StringRef::npos || pos == 0 ? 0 : begin + 1;
  size_t end = text.find('\n', pos);
  if (end == StringRef::npos)
    end = text.size();
  return {begin, end};
}

/// Numbers that sit on the edges of what parsers and passes handle.
static const char *const kInterestingNumbers[] = {
    "0",
    "1",
    "-1",
    "2",
    "3",
    "4",
    "7",
    "8",
    "9",
    "16",
    "31",
    "32",
    "33",
    "64",
    "127",
    "128",
    "-128",
    "255",
    "256",
    "1024",
    "4096",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483648",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "0.5",
    "-0.0",
    "1e-45",
    "1e-40",
    "1.17549435e-38",
    "3.4028234663852886e38",
    "-3.4028234663852886e38",
    "1e39",
    "1e308",
    "nan",
    "inf",
    "0x7FC00000",
    "0xFFFFFFFF",
    "?",
};

/// Sizes for the dimensions of shapes.
static const char *const kInterestingSizes[] = {
    "0", "1", "2", "3", "7", "8", "16", "17", "33", "64", "128", "4096", "?"};

/// [begin, end) of every integer that reads like a size: `2x4` in
/// `tensor<2x4xf32>`, `3` in `[0, 3]`, not the `32` of `f32`, `%3` or `1.5`.
static std::vector<std::pair<size_t, size_t>> findSizes(StringRef text) {
  std::vector<std::pair<size_t, size_t>> sizes;
  for (size_t i = 0; i < text.size();) {
    if (!llvm::isDigit(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && llvm::isDigit(text[end]))
      ++end;
    char before = i > 0 ? text[i - 1] : ' ';
    char after = end < text.size() ? text[end] : ' ';
    bool sizeBefore = before == 'x' || StringRef("<[(, :=").contains(before);
    bool sizeAfter = after == 'x' || StringRef(">]), :\n").contains(after);
    if (sizeBefore && sizeAfter)
      sizes.emplace_back(i, end);
    i = end;
  }
  return sizes;
}

static const char kInterestingBytes[] = {
    0,   1,   '\x7f', '\x80', '\xff', '\n', ' ', '"', '\'', '\\', '{', '}',
    '(', ')', '<',    '>',    '[',    ']',  ',', ':', 'x',  '?',  '0', '-'};

namespace {
/// Builds mutated inputs from the corpus.
class Mutator {
public:
  Mutator(llvm::ArrayRef<CorpusInput> corpus, size_t maxLen, bool text)
      : corpus(corpus), maxLen(maxLen), text(text) {
    llvm::StringSet<> seen;
    for (const CorpusInput &input : corpus) {
      StringRef text = input.data;
      for (size_t pos = 0; pos < text.size();) {
        auto [begin, end] = tokenAt(text, pos);
        if (begin == end)
          break;
        StringRef token = text.slice(begin, end);
        if (token.size() <= 64 && seen.insert(token).second)
          tokens.push_back(token.str());
        pos = end;
      }
    }
  }

  std::string mutate(Rng &rng) const {
    const CorpusInput &base = corpus[rng.below(corpus.size())];
    std::string data = base.data;
    unsigned edits = 1 + rng.below(text ? 3 : 8);
    for (unsigned i = 0; i < edits; ++i) {
      edit(data, rng);
      if (data.size() > maxLen)
        data.resize(maxLen);
    }
    return data;
  }

private:
  llvm::ArrayRef<CorpusInput> corpus;
  size_t maxLen;
  bool text;
  std::vector<std::string> tokens;

  StringRef randomToken(Rng &rng) const {
    if (tokens.empty() || rng.oneIn(3))
      return kInterestingNumbers[rng.below(std::size(kInterestingNumbers))];
    return tokens[rng.below(tokens.size())];
  }

  StringRef randomLine(Rng &rng) const {
    StringRef other = corpus[rng.below(corpus.size())].data;
    auto [begin, end] = lineAt(other, rng.below(other.size() + 1));
    return other.slice(begin, end);
  }

  void edit(std::string &data, Rng &rng) const {
    size_t size = data.size();
    size_t pos = rng.below(size + 1);
    // Text mode: mostly line and token edits (cases 5-14), which keep more
    // inputs parseable than byte edits do.
    switch (text && rng.below(10) != 0 ? 5 + rng.below(10) : rng.below(15)) {
    case 0: // Flip a bit.
      if (size)
        data[rng.below(size)] ^= static_cast<char>(1 << rng.below(8));
      return;
    case 1: // Overwrite a byte.
      if (size)
        data[rng.below(size)] =
            kInterestingBytes[rng.below(sizeof(kInterestingBytes))];
      return;
    case 2: // Insert bytes.
      for (uint64_t n = 1 + rng.below(4); n > 0; --n)
        data.insert(data.begin() + pos,
                    kInterestingBytes[rng.below(sizeof(kInterestingBytes))]);
      return;
    case 3: // Erase bytes.
      data.erase(pos, 1 + rng.below(16));
      return;
    case 4: { // Copy a range elsewhere.
      size_t from = rng.below(size + 1);
      std::string part = data.substr(from, 1 + rng.below(64));
      data.insert(rng.below(size + 1), part);
      return;
    }
    case 5: { // Erase a line.
      auto [begin, end] = lineAt(data, pos);
      data.erase(begin, end - begin + (end < size ? 1 : 0));
      return;
    }
    case 6: { // Duplicate a line.
      auto [begin, end] = lineAt(data, pos);
      data.insert(begin, data.substr(begin, end - begin) + "\n");
      return;
    }
    case 7: { // Swap two lines.
      auto [b1, e1] = lineAt(data, pos);
      auto [b2, e2] = lineAt(data, rng.below(size + 1));
      if (b1 > b2) {
        std::swap(b1, b2);
        std::swap(e1, e2);
      }
      if (e1 >= b2)
        return;
      std::string first = data.substr(b1, e1 - b1);
      std::string second = data.substr(b2, e2 - b2);
      data.replace(b2, e2 - b2, first);
      data.replace(b1, e1 - b1, second);
      return;
    }
    case 8: { // Splice in a line of another input.
      auto [begin, end] = lineAt(data, pos);
      data.insert(begin, randomLine(rng).str() + "\n");
      return;
    }
    case 9: { // Replace a number by an interesting one.
      size_t digit = data.find_first_of("0123456789", pos);
      if (digit == std::string::npos)
        digit = data.find_first_of("0123456789");
      if (digit == std::string::npos)
        return;
      size_t end = digit;
      while (end < size && (llvm::isDigit(data[end]) || data[end] == '.' ||
                            data[end] == 'e' || data[end] == '+'))
        ++end;
      data.replace(
          digit, end - digit,
          kInterestingNumbers[rng.below(std::size(kInterestingNumbers))]);
      return;
    }
    case 10:
    case 11: { // Replace a token.
      auto [begin, end] = tokenAt(data, pos);
      if (begin < end)
        data.replace(begin, end - begin, randomToken(rng).str());
      return;
    }
    case 12: { // Replace every occurrence of a token (e.g. f32 -> bf16).
      auto [begin, end] = tokenAt(data, pos);
      if (begin == end)
        return;
      std::string from = data.substr(begin, end - begin);
      std::string to = randomToken(rng).str();
      std::string result;
      StringRef rest = data;
      while (!rest.empty()) {
        auto [b, e] = tokenAt(rest, 0);
        result += rest.substr(0, b).str();
        if (b == e)
          break;
        StringRef token = rest.slice(b, e);
        result += token == from ? to : token.str();
        rest = rest.drop_front(e);
      }
      data = std::move(result);
      return;
    }
    case 13: { // Change a size everywhere (a dimension of every shape).
      std::vector<std::pair<size_t, size_t>> sizes = findSizes(data);
      if (sizes.empty())
        return;
      auto [begin, end] = sizes[rng.below(sizes.size())];
      std::string from = data.substr(begin, end - begin);
      std::string to =
          kInterestingSizes[rng.below(std::size(kInterestingSizes))];
      std::string result;
      size_t last = 0;
      for (auto [b, e] : sizes) {
        if (StringRef(data).slice(b, e) != from)
          continue;
        result += data.substr(last, b - last) + to;
        last = e;
      }
      data = result + data.substr(last);
      return;
    }
    default: { // Insert a token.
      data.insert(pos, (" " + randomToken(rng) + " ").str());
      return;
    }
    }
  }
};

} // namespace

static bool parseFlags(int argc, char **argv, Flags &flags) {
  for (int i = 1; i < argc; ++i) {
    StringRef arg = argv[i];
    if (!arg.starts_with("-")) {
      flags.paths.push_back(arg.str());
      continue;
    }
    auto [name, value] =
        arg.drop_while([](char c) { return c == '-'; }).split('=');
    bool bad = false;
    if (name == "seed")
      bad = value.getAsInteger(10, flags.seed);
    else if (name == "runs")
      bad = value.getAsInteger(10, flags.runs);
    else if (name == "max_total_time")
      bad = value.getAsDouble(flags.maxTotalTime) || flags.maxTotalTime < 0;
    else if (name == "timeout")
      bad = value.getAsDouble(flags.timeout) || flags.timeout <= 0;
    else if (name == "max_len")
      bad = value.getAsInteger(10, flags.maxLen);
    else if (name == "artifact_prefix")
      flags.artifactPrefix = value.str();
    else if (name == "split")
      flags.split = value.str();
    else if (name == "text")
      bad = value.getAsInteger(10, flags.text);
    else if (name == "keep_going")
      bad = value.getAsInteger(10, flags.keepGoing);
    else if (name == "ext")
      flags.extensions.push_back(value.str());
    else if (name == "upstream_frame")
      flags.upstreamFrames.push_back(value.str());
    else if (name == "own_frame")
      flags.ownFrames.push_back(value.str());
    else if (name == "self_test_crash")
      flags.selfTestCrash = value.str();
    else if (name == "self_test_hang")
      flags.selfTestHang = value.str();
    else
      bad = true;
    if (bad) {
      llvm::errs() << "compress-fuzz: bad flag '" << arg << "'\n";
      return false;
    }
  }
  if (flags.runs < 0 && flags.maxTotalTime == 0) {
    llvm::errs() << "compress-fuzz: -runs=-1 needs -max_total_time\n";
    return false;
  }
  return true;
}

static void addFile(StringRef path, const Flags &flags,
                    std::vector<CorpusInput> &corpus) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    llvm::errs() << "compress-fuzz: cannot read '" << path
                 << "': " << buffer.getError().message() << "\n";
    std::exit(2);
  }
  StringRef text = (*buffer)->getBuffer();
  if (flags.split.empty()) {
    corpus.push_back({text.str(), path.str()});
    return;
  }
  unsigned piece = 0;
  std::string current;
  auto flush = [&] {
    corpus.push_back({current, (path + ":" + llvm::Twine(piece++)).str()});
    current.clear();
  };
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    if (line.rtrim() == flags.split)
      flush();
    else
      current += (line + "\n").str();
    text = rest;
  }
  flush();
}

static std::vector<CorpusInput> loadCorpus(const Flags &flags) {
  std::vector<CorpusInput> corpus;
  for (const std::string &path : flags.paths) {
    if (!llvm::sys::fs::is_directory(path)) {
      addFile(path, flags, corpus);
      continue;
    }
    std::vector<std::string> files;
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(path, ec), end;
         it != end && !ec; it.increment(ec)) {
      if (llvm::sys::fs::is_directory(it->path()))
        continue;
      if (!flags.extensions.empty() &&
          llvm::none_of(flags.extensions, [&](const std::string &ext) {
            return StringRef(it->path()).ends_with(ext);
          }))
        continue;
      files.push_back(it->path());
    }
    // Directory order differs between file systems; the run must not.
    llvm::sort(files);
    for (const std::string &file : files)
      addFile(file, flags, corpus);
  }
  return corpus;
}

/// Input `index` of the run: a corpus input or a mutation.
static std::string makeInput(int64_t index, llvm::ArrayRef<CorpusInput> corpus,
                             const Mutator &mutator, const Flags &flags) {
  if (index < static_cast<int64_t>(corpus.size()))
    return corpus[index].data;
  Rng rng(flags.seed * 0x2545F4914F6CDD1Dull + index);
  return mutator.mutate(rng);
}

/// The crash of `-self_test_crash` (its name is on the stack).
[[noreturn]] LLVM_ATTRIBUTE_NOINLINE static void selfTestCrash() {
  llvm::errs() << "compress-fuzz: self-test crash\n";
  // raise() returns (unlike abort()), so the return address on the stack
  // lies inside this function and the symbolizer names it.
  std::raise(SIGABRT);
  std::abort();
}

/// The hang of `-self_test_hang`.
[[noreturn]] LLVM_ATTRIBUTE_NOINLINE static void selfTestHang() {
  while (true)
    std::this_thread::sleep_for(std::chrono::seconds(1));
}

/// The runner: executes the inputs in order, publishing progress in `state`.
[[noreturn]] static void runInputs(int64_t first,
                                   llvm::ArrayRef<CorpusInput> corpus,
                                   const Mutator &mutator, const Flags &flags,
                                   SharedState &state, int64_t startNs) {
  int64_t total = static_cast<int64_t>(corpus.size()) + flags.runs;
  for (int64_t index = first; flags.runs < 0 || index < total; ++index) {
    if (index >= static_cast<int64_t>(corpus.size()) &&
        flags.maxTotalTime > 0 &&
        nowNs() - startNs > static_cast<int64_t>(flags.maxTotalTime * 1e9))
      break;
    std::string input = makeInput(index, corpus, mutator, flags);
    state.startedNs.store(nowNs());
    state.current.store(index);
    if (!flags.selfTestCrash.empty() &&
        StringRef(input).contains(flags.selfTestCrash))
      selfTestCrash();
    if (!flags.selfTestHang.empty() &&
        StringRef(input).contains(flags.selfTestHang))
      selfTestHang();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()),
                           input.size());
    state.current.store(-1);
    state.executed.fetch_add(1);
  }
  // A normal exit runs the leak check of a sanitizer build.
  std::exit(0);
}

static std::string describe(int64_t index, llvm::ArrayRef<CorpusInput> corpus) {
  if (index < static_cast<int64_t>(corpus.size()))
    return "corpus input " + corpus[index].origin;
  return "mutated input #" + std::to_string(index - corpus.size());
}

/// Writes input `index` to `<prefix><kind>-<index>` and says how to replay it.
static void saveInput(StringRef kind, int64_t index,
                      llvm::ArrayRef<CorpusInput> corpus,
                      const Mutator &mutator, const Flags &flags,
                      const char *argv0) {
  std::string path =
      flags.artifactPrefix + kind.str() + "-" + std::to_string(index);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (!ec)
    os << makeInput(index, corpus, mutator, flags);
  llvm::errs() << "compress-fuzz: " << kind << " on " << describe(index, corpus)
               << " (input " << index << ", -seed=" << flags.seed << ")\n";
  if (ec)
    llvm::errs() << "compress-fuzz: cannot write '" << path
                 << "': " << ec.message() << "\n";
  else
    llvm::errs() << "compress-fuzz: input written to " << path
                 << "; replay it with: " << argv0 << " " << path << "\n";
}

namespace {
/// How a runner ended.
struct RunnerResult {
  enum Kind { Finished, Crashed, TimedOut } kind = Finished;
  /// The input it was running when it crashed or timed out (-1: none).
  int64_t input = -1;
  int status = 0;
  /// The end of its standard error (the crash report).
  std::string output;
};
} // namespace

/// Forks a runner for the inputs from `first` on and watches it, forwarding
/// its standard error.
static RunnerResult
superviseRunner(int64_t first, llvm::ArrayRef<CorpusInput> corpus,
                const Mutator &mutator, const Flags &flags, SharedState &state,
                int64_t startNs, int64_t &lastReport, int argc, char **argv) {
  int pipeFds[2];
  if (pipe(pipeFds) != 0) {
    llvm::errs() << "compress-fuzz: pipe failed\n";
    std::exit(2);
  }
  llvm::errs().flush();
  llvm::outs().flush();
  pid_t child = fork();
  if (child < 0) {
    llvm::errs() << "compress-fuzz: fork failed\n";
    std::exit(2);
  }
  if (child == 0) {
    close(pipeFds[0]);
    dup2(pipeFds[1], STDERR_FILENO);
    close(pipeFds[1]);
    // The target is initialized in the runner only: the supervisor must not
    // run its exit handlers.
    if (LLVMFuzzerInitialize)
      LLVMFuzzerInitialize(&argc, &argv);
    runInputs(first, corpus, mutator, flags, state, startNs);
  }
  close(pipeFds[1]);
  fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);

  RunnerResult result;
  constexpr size_t kKeptOutput = 1 << 18;
  auto forwardOutput = [&] {
    char buffer[4096];
    ssize_t n;
    while ((n = read(pipeFds[0], buffer, sizeof(buffer))) > 0) {
      llvm::errs().write(buffer, n);
      result.output.append(buffer, n);
    }
    llvm::errs().flush();
    if (result.output.size() > 2 * kKeptOutput)
      result.output.erase(0, result.output.size() - kKeptOutput);
  };
  while (true) {
    forwardOutput();
    if (waitpid(child, &result.status, WNOHANG) == child)
      break;
    int64_t now = nowNs();
    int64_t current = state.current.load();
    if (current >= 0 &&
        now - state.startedNs.load() >
            static_cast<int64_t>(flags.timeout * 1e9) &&
        state.current.load() == current) {
      llvm::errs() << "compress-fuzz: input " << current << " ran longer than "
                   << llvm::format("%g", flags.timeout) << " s\n";
      // SIGABRT makes the runner print its stack (LLVM's signal handler).
      kill(child, SIGABRT);
      for (int i = 0;
           i < 500 && waitpid(child, &result.status, WNOHANG) != child; ++i) {
        forwardOutput();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      kill(child, SIGKILL);
      waitpid(child, &result.status, 0);
      forwardOutput();
      close(pipeFds[0]);
      result.kind = RunnerResult::TimedOut;
      result.input = current;
      return result;
    }
    if (now - lastReport > 30'000'000'000) {
      lastReport = now;
      llvm::errs() << "compress-fuzz: " << state.executed.load()
                   << " inputs in " << (now - startNs) / 1'000'000'000
                   << " s\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  forwardOutput();
  close(pipeFds[0]);
  if (!WIFEXITED(result.status) || WEXITSTATUS(result.status) != 0) {
    result.kind = RunnerResult::Crashed;
    result.input = state.current.load();
  }
  return result;
}

/// True if every stack in `report` (frames are lines `#N 0x...`, a stack
/// starts at `#0`) shows a crash in LLVM/MLIR that the project cannot have
/// caused: read from the crash site down, a frame containing an
/// `-upstream_frame` text comes before any frame containing an `-own_frame`
/// text. (An upstream op parser that crashes inside the region of one of the
/// project's ops has the project's parser below it, not above.)
static bool isUpstreamCrash(StringRef report, const Flags &flags) {
  if (flags.upstreamFrames.empty())
    return false;
  bool anyStack = false, stackDone = true, stackUpstream = false;
  llvm::SmallVector<StringRef> lines;
  report.split(lines, '\n');
  for (StringRef line : lines) {
    StringRef frame = line.ltrim();
    unsigned number;
    if (!frame.consume_front("#") || frame.consumeInteger(10, number) ||
        !frame.contains(" 0x"))
      continue;
    if (number == 0) {
      // A new stack; the previous one must have been upstream.
      if (anyStack && !stackUpstream)
        return false;
      anyStack = true;
      stackDone = false;
      stackUpstream = false;
    }
    if (stackDone)
      continue;
    if (llvm::any_of(flags.ownFrames, [&](const std::string &own) {
          return frame.contains(own);
        })) {
      stackDone = true;
      continue;
    }
    if (llvm::any_of(flags.upstreamFrames, [&](const std::string &text) {
          return frame.contains(text);
        })) {
      stackUpstream = true;
      stackDone = true;
    }
  }
  return anyStack && stackUpstream;
}

int main(int argc, char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  Flags flags;
  if (!parseFlags(argc, argv, flags))
    return 2;
  std::vector<CorpusInput> corpus = loadCorpus(flags);
  if (corpus.empty()) {
    llvm::errs() << "compress-fuzz: no corpus inputs (give files or "
                    "directories)\n";
    return 2;
  }
  Mutator mutator(corpus, flags.maxLen, flags.text);

  auto *state = static_cast<SharedState *>(
      mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE,
           MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  if (state == MAP_FAILED) {
    llvm::errs() << "compress-fuzz: mmap failed\n";
    return 2;
  }
  new (state) SharedState();
  int64_t startNs = nowNs();
  int64_t first = 0, upstreamCrashes = 0, failures = 0, lastReport = startNs;
  while (true) {
    state->current.store(-1);
    RunnerResult result = superviseRunner(first, corpus, mutator, flags, *state,
                                          startNs, lastReport, argc, argv);
    if (result.kind == RunnerResult::Finished)
      break;
    StringRef kind =
        result.kind == RunnerResult::TimedOut ? "timeout" : "crash";
    if (result.input < 0) {
      llvm::errs() << "compress-fuzz: the runner failed after "
                   << state->executed.load()
                   << " inputs, outside any input (e.g. a leak report at "
                      "exit)\n";
      return 1;
    }
    if (isUpstreamCrash(result.output, flags)) {
      // Not ours: keep the input for an upstream report and go on.
      saveInput(("upstream-" + kind).str(), result.input, corpus, mutator,
                flags, argv[0]);
      llvm::errs() << "compress-fuzz: the " << kind
                   << " is inside LLVM/MLIR (no frame of the project's code "
                      "above it on the stack); continuing with the next "
                      "input\n";
      ++upstreamCrashes;
      state->executed.fetch_add(1);
      first = result.input + 1;
      continue;
    }
    saveInput(kind, result.input, corpus, mutator, flags, argv[0]);
    if (result.kind == RunnerResult::Crashed) {
      if (WIFSIGNALED(result.status))
        llvm::errs() << "compress-fuzz: the runner died of signal "
                     << WTERMSIG(result.status) << "\n";
      else
        llvm::errs() << "compress-fuzz: the runner exited with status "
                     << WEXITSTATUS(result.status) << "\n";
    }
    if (!flags.keepGoing)
      return 1;
    ++failures;
    state->executed.fetch_add(1);
    first = result.input + 1;
  }
  double seconds = (nowNs() - startNs) / 1e9;
  int64_t executed = state->executed.load();
  int64_t mutated =
      std::max<int64_t>(0, executed - static_cast<int64_t>(corpus.size()));
  llvm::errs() << llvm::format(
      "compress-fuzz: done: %lld inputs (%zu corpus, %lld mutated) in %.1f s, "
      "%.0f inputs/s, %lld upstream crashes, -seed=%llu\n",
      static_cast<long long>(executed), corpus.size(),
      static_cast<long long>(mutated), seconds, executed / seconds,
      static_cast<long long>(upstreamCrashes),
      static_cast<unsigned long long>(flags.seed));
  if (failures) {
    llvm::errs() << "compress-fuzz: " << failures
                 << " inputs crashed or timed out (-keep_going)\n";
    return 1;
  }
  return 0;
}
