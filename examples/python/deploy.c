/* Calls a model saved by compress (CompiledModel.save or python3 -m compress)
 * from C: lib<function>.so exports _mlir_ciface_<function>, which takes the
 * result and each input as a pointer to a memref descriptor (MLIR's C
 * interface: allocated and aligned pointers, offset, sizes, strides).
 *
 *   clang deploy.c -o deploy -L out -lpredict -Wl,-rpath,out
 *   ./deploy 8 20        # a batch of 8 rows of 20 features (2-D model)
 *
 * reads rows * cols floats from stdin, prints the 2-D result. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} MemRef2D;

void _mlir_ciface_predict(MemRef2D *result, MemRef2D *input);

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s ROWS COLS < input\n", argv[0]);
    return 2;
  }
  int64_t rows = atoll(argv[1]), cols = atoll(argv[2]);
  float *x = malloc(sizeof(float) * rows * cols);
  for (int64_t i = 0; i < rows * cols; ++i)
    if (scanf("%f", &x[i]) != 1) {
      fprintf(stderr, "expected %lld numbers\n", (long long)(rows * cols));
      return 1;
    }
  MemRef2D in = {x, x, 0, {rows, cols}, {cols, 1}}, out;
  _mlir_ciface_predict(&out, &in);
  for (int64_t i = 0; i < out.sizes[0]; ++i) {
    for (int64_t j = 0; j < out.sizes[1]; ++j)
      printf("%s%.6g", j ? " " : "",
             out.aligned[out.offset + i * out.strides[0] + j * out.strides[1]]);
    printf("\n");
  }
  /* The result's memory was allocated by the model with malloc. */
  free(out.allocated);
  free(x);
  return 0;
}
