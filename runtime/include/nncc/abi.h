/*===- nncc/abi.h - types shared by generated headers and the runtime -----===*
 *
 * Every header that `nncc model.nn` generates repeats this block verbatim
 * (guarded by NNCC_ABI_V4) so that it compiles on its own; the runtime
 * includes this file. Change both together and bump the guard's version.
 *
 * Conventions of every generated entry point:
 *  - parameters, gradients and buffers are each one flat array of 4-byte
 *    slots laid out as the tensor table says (offsets in slots, row-major,
 *    PyTorch order, each tensor 64-byte aligned); an I64 tensor (BatchNorm's
 *    num_batches_tracked) takes two slots per element;
 *  - train_step updates the buffers in place (BatchNorm running statistics,
 *    as PyTorch does in training mode); eval_step and predict only read them;
 *  - `seed` drives dropout masks in train_step: the same seed and inputs give
 *    the same masks (the trainer draws one per step from the seeded stream);
 *  - inputs are dense row-major arrays whose first dimension is `batch`;
 *  - `workspace` is caller-owned scratch memory, 64-byte aligned, of at least
 *    <model>_workspace_size(batch, threads) bytes, where `threads` is the
 *    execution context's (1 without one); generated code never allocates;
 *  - `exec` is where the entry point runs its parallel loops (NULL: on the
 *    calling thread); results are bit for bit the same for every thread
 *    count (ABI v4);
 *  - outputs are written, never accumulated (gradients are overwritten).
 *
 *===----------------------------------------------------------------------===*/
#ifndef NNCC_ABI_V4
#define NNCC_ABI_V4
#include <stddef.h>
#include <stdint.h>

/* How a tensor is initialised, as torch.nn.init does it. */
enum nncc_init {
  NNCC_INIT_ZEROS = 0,
  NNCC_INIT_ONES = 1,
  /* kaiming_uniform_(w, a=sqrt(5)): U(-b, b), b = 1/sqrt(fan_in) */
  NNCC_INIT_KAIMING_UNIFORM_A5 = 2,
  /* PyTorch's default bias: U(-b, b), b = 1/sqrt(fan_in) */
  NNCC_INIT_UNIFORM_FAN_IN = 3,
  /* torch.nn.init defaults: mode fan_in, nonlinearity leaky_relu with
   * a = init_param (kaiming); gain = init_param (xavier) */
  NNCC_INIT_KAIMING_UNIFORM = 4,
  NNCC_INIT_KAIMING_NORMAL = 5,
  NNCC_INIT_XAVIER_UNIFORM = 6,
  NNCC_INIT_XAVIER_NORMAL = 7
};

enum nncc_dtype { NNCC_DTYPE_F32 = 0, NNCC_DTYPE_I64 = 1 };

typedef struct nncc_tensor_info {
  const char *name; /* state_dict name, e.g. "layers.1.weight" */
  int32_t rank;
  int64_t shape[4];
  int64_t offset; /* in elements into the flat array */
  int64_t numel;
  int32_t init; /* enum nncc_init */
  int64_t fan_in;
  int64_t fan_out;
  int32_t frozen;    /* 1: no gradient is computed; the optimizer skips it */
  int32_t dtype;     /* enum nncc_dtype */
  double init_param; /* kaiming a, xavier gain */
} nncc_tensor_info;

/* One iteration of a parallel loop of generated code: `index` is in
 * [0, n); `worker` (0 .. threads-1) names the per-worker scratch slot of the
 * workspace the iteration may use. */
typedef void (*nncc_task_fn)(void *closure, int64_t index, int32_t worker);

/* Where an entry point runs its parallel loops (the runtime's ThreadPool
 * provides one, nncc/ThreadPool.h). parallel_for runs task(closure, i, w)
 * once for every i in [0, n), each on some worker w < threads, and returns
 * when all have run. In a profiled build (nncc --profile), the entry point
 * calls profile(exec, r) on the calling thread where region r of its
 * profile_regions table begins, and profile(exec, -1) where its last region
 * ends; NULL (or any build without --profile) calls nothing. */
typedef struct nncc_exec {
  void (*parallel_for)(const struct nncc_exec *exec, nncc_task_fn task,
                       void *closure, int64_t n);
  void *pool;
  int32_t threads;
  void (*profile)(const struct nncc_exec *exec, int32_t region);
  void *profile_data; /* the profile hook's, untouched by generated code */
} nncc_exec;

/* One region of a profiled build: the code of one nn op (a layer's forward
 * or one of its backward halves) in one entry point, with its cost for a
 * report: flops (2 per multiply-add of a convolution or linear layer; 0 for
 * other ops) and bytes of the tensors it reads and writes, per sample of
 * the batch, and the bytes of those without a batch dimension. A `fused`
 * region has no code of its own: fusion moved it into a later region. */
typedef struct nncc_profile_region {
  const char *entry; /* "train_step", "eval_step" or "predict" */
  const char *layer; /* "features.4" ("" for code of no layer) */
  const char *op;    /* "conv2d_grad_weight" */
  int32_t fused;
  double flops;
  double bytes;
  double fixed_bytes;
} nncc_profile_region;
/* Sets *regions to the object's region table; returns its length. */
typedef int32_t (*nncc_profile_regions_fn)(const nncc_profile_region **regions);

typedef void (*nncc_train_step_fn)(const float *params, float *grads,
                                   float *buffers, const float *input,
                                   const int64_t *target, int64_t batch,
                                   uint64_t seed, void *workspace,
                                   const nncc_exec *exec, float *loss,
                                   float *logits);
typedef void (*nncc_eval_step_fn)(const float *params, const float *buffers,
                                  const float *input, const int64_t *target,
                                  int64_t batch, void *workspace,
                                  const nncc_exec *exec, float *loss,
                                  float *logits);
typedef void (*nncc_predict_fn)(const float *params, const float *buffers,
                                const float *input, int64_t batch,
                                void *workspace, const nncc_exec *exec,
                                float *logits);
typedef size_t (*nncc_workspace_size_fn)(int64_t batch, int32_t threads);
typedef void (*nncc_probe_fn)(const float *params, const float *buffers,
                              const float *input, const int64_t *target,
                              int64_t batch, uint64_t seed, void *workspace,
                              const nncc_exec *exec, float *nonfinite);

/* Everything a generic training loop needs to know about one model: a
 * classifier with one f32 input of shape [batch, input_shape...] and one
 * int64 class-index target. */
typedef struct nncc_model {
  const char *name;
  int32_t input_rank;     /* without the batch dimension */
  int64_t input_shape[4]; /* without the batch dimension */
  int64_t num_classes;    /* logits are [batch, num_classes] */
  const nncc_tensor_info *params;
  int32_t num_params;
  int64_t param_count; /* floats in the flat parameter array */
  int32_t has_dropout; /* 1: train_step's seed matters */
  const nncc_tensor_info *buffers;
  int32_t num_buffers;
  int64_t buffer_count; /* 4-byte slots in the flat buffer array */
  nncc_train_step_fn train_step;
  nncc_eval_step_fn eval_step;
  nncc_predict_fn predict;
  nncc_workspace_size_fn workspace_size;
  /* train_step's forward, counting each layer's NaN/inf outputs into
   * nonfinite[num_probes], layer i named probe_names[i] */
  nncc_probe_fn probe;
  int32_t num_probes;
  const char *const *probe_names;
  /* The CPU the code was generated for (LLVM's name, e.g. "znver4") and the
   * instruction-set extensions it may use, comma-separated ("avx2,fma,...");
   * nncc_check_cpu (nncc/train.h) refuses a CPU that lacks one (ABI v4). */
  const char *target_cpu;
  const char *target_features;
  /* A profiled build's region table (nncc --profile); NULL otherwise. */
  nncc_profile_regions_fn profile_regions;
} nncc_model;

#endif /* NNCC_ABI_V4 */
