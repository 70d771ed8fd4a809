# lit configuration: every suite runs nncc / nncc-opt from the build tree.
import os
import lit.formats
import lit.util

config.name = "nncc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".nn", ".test"]
# fuzz/ holds libFuzzer targets and their seed corpora (run by ctest), not lit tests.
config.excludes = ["Inputs", "fuzz", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nncc_obj_root, "tests")

# Objects compiled by the tests are cached in the build tree, never in the
# user's cache; a rebuilt nncc has another key, so stale entries are misses.
config.environment["NNCC_CACHE_DIR"] = os.path.join(config.test_exec_root, "compile-cache")
config.environment["NNCC_CACHE_MAX_MB"] = "512"
config.environment["PATH"] = os.pathsep.join(
    [config.nncc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%nncc-opt", os.path.join(config.nncc_tools_dir, "nncc-opt")))
config.substitutions.append(("%nncc", os.path.join(config.nncc_tools_dir, "nncc")))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%runtime_include", config.runtime_include_dir))
config.substitutions.append(("%runtime_lib", config.runtime_library))
config.substitutions.append(("%src", config.nncc_src_root))
config.substitutions.append(("%fashion_mnist", config.fashion_mnist_dir))
# tests/install: the build tree under test, and the cmake that built it.
config.substitutions.append(("%build_root", config.nncc_obj_root))
config.substitutions.append(("%cmake", config.cmake_command))
# Those tests generate with Ninja whatever generator built nncc.
make_program = config.make_program
if "ninja" not in os.path.basename(make_program):
    make_program = lit.util.which("ninja") or "ninja"
config.substitutions.append(("%make_program", make_program))
