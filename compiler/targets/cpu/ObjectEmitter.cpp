//===- ObjectEmitter.cpp - LLVM dialect to object code in process ---------===//
#include "compiler/targets/cpu/ObjectEmitter.h"
#include "compiler/pipeline/AtomicFile.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/SubtargetFeature.h"

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

std::unique_ptr<llvm::Module>
nncc::translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                           llvm::StringRef prefix, const CpuDescription &cpu,
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

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(machine.get());
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3)
      .run(*llvmModule, mam);
  return llvmModule;
}

bool nncc::emitCode(llvm::Module &module, CodeKind kind,
                    const std::string &path, const CpuDescription &cpu,
                    std::string &error) {
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
