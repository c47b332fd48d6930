/*===- dialect.c - Test the compress C API -----------------------*- C -*-===*\
|*                                                                            *|
|* Registers the compress dialect through its handle, parses a module that    *|
|* uses compress.fake_quant, verifies and prints it.                          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

// RUN: compress-capi-test 2>&1 | FileCheck %s

#include "compress-c/Dialects.h"
#include "mlir-c/IR.h"

#include <stdio.h>

static void printToStdout(MlirStringRef str, void *userData) {
  (void)userData;
  fwrite(str.data, 1, str.length, stdout);
}

int main(void) {
  /* Keep stdout and the diagnostics on stderr in order. */
  setvbuf(stdout, NULL, _IONBF, 0);
  MlirContext ctx = mlirContextCreate();
  MlirDialectHandle handle = mlirGetDialectHandle__compress__();
  MlirStringRef ns = mlirDialectHandleGetNamespace(handle);
  printf("namespace: %.*s\n", (int)ns.length, ns.data);
  // CHECK: namespace: compress

  mlirDialectHandleRegisterDialect(handle, ctx);
  mlirDialectHandleLoadDialect(handle, ctx);
  mlirCompressRegisterAllPasses();

  /* "test.ret" is an unregistered op that merely carries the attribute. */
  const char *source =
      "module {\n"
      "  \"test.ret\"() {spec = #compress.quant<i8, scales = [0.5], "
      "zero_points = [0]>} : () -> ()\n"
      "}\n";
  mlirContextSetAllowUnregisteredDialects(ctx, 1);
  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(source));
  if (mlirModuleIsNull(module)) {
    printf("parse failed\n");
    return 1;
  }
  MlirOperation op = mlirModuleGetOperation(module);
  printf("verified: %d\n", (int)mlirOperationVerify(op));
  // CHECK: verified: 1
  mlirOperationPrint(op, printToStdout, NULL);
  printf("\n");
  // CHECK: spec = #compress.quant<i8, scales = [5.000000e-01], zero_points =
  // [0]>

  /* An invalid spec is rejected when parsing. */
  MlirModule bad = mlirModuleCreateParse(
      ctx, mlirStringRefCreateFromCString(
               "\"test.ret\"() {spec = #compress.quant<i8, scales = [-1.0], "
               "zero_points = [0]>} : () -> ()"));
  printf("invalid rejected: %d\n", (int)mlirModuleIsNull(bad));
  // CHECK: expects positive finite scales
  // CHECK: invalid rejected: 1

  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  return 0;
}
