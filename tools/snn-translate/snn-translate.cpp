//===- snn-translate.cpp - NIR, C and chip images in and out of snn IR ----===//

#include "Init/ToolMains.h"

int main(int argc, char **argv) { return snn::translateMain(argc, argv); }
