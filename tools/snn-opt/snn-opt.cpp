//===- snn-opt.cpp - run passes over snn IR -------------------------------===//

#include "Init/ToolMains.h"

int main(int argc, char **argv) { return snn::optMain(argc, argv); }
