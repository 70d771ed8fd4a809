//===- ObjectEmitter.cpp - LLVM dialect to object code in process ---------===//
#include "compiler/targets/cpu/ObjectEmitter.h"
#include "compiler/pipeline/AtomicFile.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Transforms/IPO/MergeFunctions.h"

using namespace nncc;

static std::unique_ptr<llvm::TargetMachine>
targetMachine(const CpuDescription &cpu, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(cpu.triple, error);
  if (!target)
    return nullptr;
  llvm::SubtargetFeatures features;
  for (const std::string &feature : cpu.features)
    features.AddFeature(feature);
  llvm::TargetOptions options;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      cpu.triple, cpu.cpu, features.getString(), options, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
}

std::unique_ptr<llvm::Module> nncc::translateToLLVM(mlir::ModuleOp module,
                                                    llvm::LLVMContext &context,
                                                    llvm::StringRef prefix,
                                                    const CpuDescription &cpu,
                                                    std::string &error) {
  auto llvmModule = mlir::translateModuleToLLVMIR(module, context, "nncc");
  if (!llvmModule) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  auto machine = targetMachine(cpu, error);
  if (!machine)
    return nullptr;
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(machine->getTargetTriple().str());
  std::string entryPrefix = (prefix + "_").str();
  for (llvm::Function &f : *llvmModule)
    if (!f.isDeclaration() && !f.getName().starts_with(entryPrefix))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  return llvmModule;
}

bool nncc::optimize(llvm::Module &module, const CpuDescription &cpu,
                    std::string &error) {
  auto machine = targetMachine(cpu, error);
  if (!machine)
    return false;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // `-mllvm -time-passes` and the other pass instrumentation reach O3 too.
  llvm::PassInstrumentationCallbacks instrumentation;
  llvm::StandardInstrumentations standard(module.getContext(),
                                          /*DebugLogging=*/false);
  standard.registerCallbacks(instrumentation, &mam);
  // No partial or runtime unrolling: the register tiles come unrolled from
  // MLIR, and unrolling the loops around them only multiplied the code that
  // the vectorizer, GVN and instruction selection then work through.
  // Measured on Zen 4: compile cnn 4.0 -> 2.3 s, resnet8 13.6 -> 7.6 s; the
  // steps the same within the machine's noise (medians of three: cnn 30.8
  // vs 31.7 ms, resnet8 81.9 vs 80.1 ms, mlp 0.98 vs 0.76 ms).
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = false;
  llvm::PassBuilder builder(machine.get(), tuning, std::nullopt,
                            &instrumentation);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  // The forward's kernels are the same code in @train_step, @eval_step,
  // @predict and @probe (and identical layers repeat them within one):
  // merged first, each is optimized and compiled once.
  llvm::ModulePassManager merge;
  merge.addPass(llvm::MergeFunctionsPass());
  merge.run(module, mam);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3)
      .run(module, mam);
  return true;
}

/// Two code-generation passes whose cost grows faster than the size of the
/// unrolled register tiles nncc generates, for code that gains nothing from
/// them (measured on Zen 4, cnn: 11.6 s -> 6.0 s to compile, the step the
/// same within noise): loop strength reduction (our address arithmetic is
/// already induction variables times constants) and the post-RA list
/// scheduler (the machine scheduler before register allocation stays). A
/// user's -mllvm setting of either wins. Position 1: the post-RA scheduler
/// reads a position of 0 as "not given".
static void tuneCodeGeneration() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto set = [&](llvm::StringRef name, llvm::StringRef value) {
    auto it = options.find(name);
    if (it != options.end() && it->second->getNumOccurrences() == 0)
      it->second->addOccurrence(/*pos=*/1, name, value);
  };
  set("disable-lsr", "true");
  set("post-RA-scheduler", "false");
}

bool nncc::emitCode(llvm::Module &module, CodeKind kind,
                    const std::string &path, const CpuDescription &cpu,
                    std::string &error) {
  tuneCodeGeneration();
  auto machine = targetMachine(cpu, error);
  if (!machine)
    return false;
  return writeFileAtomically(
      path,
      [&](llvm::raw_ostream &os) {
        llvm::SmallVector<char, 0> buffer;
        llvm::raw_svector_ostream stream(buffer);
        llvm::legacy::PassManager pm;
        auto type = kind == CodeKind::Object
                        ? llvm::CodeGenFileType::ObjectFile
                        : llvm::CodeGenFileType::AssemblyFile;
        if (machine->addPassesToEmitFile(pm, stream, nullptr, type)) {
          error = "the target cannot emit this file type";
          return false;
        }
        pm.run(module);
        os << buffer;
        return true;
      },
      error);
}
