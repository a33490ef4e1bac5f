// A benchmark-only C ABI over oneDNN's layer normalization (Debian's libdnnl-dev, oneDNN 2.x C++ API), so the
// C# suite can time oneDNN in its own process. Built by Benchmarks/build-onednn-shim.sh; nothing in the NormGen
// package uses it.
//
// What "oneDNN at its best" means here, and why:
// - the primitive, its memory objects (over the caller's pinned arrays) and the argument list are made once per
//   shape (normgen_onednn_create), so a call (normgen_onednn_execute) runs the kernel and nothing else;
// - scratchpad_mode::user with a scratchpad allocated at creation, so no call allocates;
// - one thread: oneDNN's CPU runtime here is OpenMP, and it sizes every parallel region from the calling thread's
//   omp_get_max_threads(), so each entry point sets that to 1 on the thread it runs on (once per thread);
// - data row-major, rows x hidden (format ab), normalized over the last dimension; gamma and beta as separate
//   1-D tensors (use_scale | use_shift); statistics 1-D of rows (oneDNN saves the variance, not rstd).
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Sets this thread's OpenMP team size to 1, once: oneDNN reads it at primitive creation and at every execution.
void use_one_thread() {
    thread_local bool done = false;
    if (!done) {
        omp_set_num_threads(1);
        done = true;
    }
}

void copy_message(const std::string& message, char* buffer, int length) {
    if (buffer == nullptr || length <= 0)
        return;
    std::snprintf(buffer, static_cast<size_t>(length), "%s", message.c_str());
}

}  // namespace

// One primitive for one shape and pass, with everything a call needs.
struct normgen_onednn {
    dnnl::engine engine;
    dnnl::stream stream;
    dnnl::primitive primitive;
    std::vector<dnnl::memory> memories;      // keeps the memory objects alive for the raw argument list
    std::vector<dnnl_exec_arg_t> arguments;  // what dnnl_primitive_execute takes: no map built per call
    std::string implementation;              // oneDNN's name for the kernel it chose, e.g. "jit:avx512_core"
};

extern "C" {

// The passes a handle can run.
enum normgen_onednn_pass {
    NORMGEN_ONEDNN_FORWARD_INFERENCE = 0,  // x, gamma, beta -> y
    NORMGEN_ONEDNN_FORWARD_TRAINING = 1,   // x, gamma, beta -> y, mean, variance
    NORMGEN_ONEDNN_BACKWARD = 2,           // dy, x, gamma, (beta), mean, variance -> dx, dgamma, dbeta
};

// The oneDNN version this process loaded.
void normgen_onednn_version(int* major, int* minor, int* patch) {
    const dnnl_version_t* version = dnnl_version();
    *major = version->major;
    *minor = version->minor;
    *patch = version->patch;
}

// The instruction set oneDNN's JIT may use in this process (dnnl_cpu_isa_t: CPU and DNNL_MAX_CPU_ISA together).
// Note that oneDNN 2.6's layer normalization JIT kernels (lnorm_utils::jit_*) are written for AVX2 (ymm) only, so
// even with AVX-512 available they run AVX2 code; DNNL_JIT_DUMP=1 shows it.
int normgen_onednn_isa(void) {
    return static_cast<int>(dnnl_get_effective_cpu_isa());
}

// Sets one thread on the calling thread, then counts the threads an OpenMP parallel region started here gets:
// the team oneDNN's kernels would run on. 1 is the only right answer.
int normgen_onednn_threads(void) {
    use_one_thread();
    int threads = 0;
#pragma omp parallel
    {
#pragma omp atomic
        threads++;
    }
    return threads;
}

// Makes the primitive for one pass over rows x hidden floats, bound to the caller's arrays, which must stay
// pinned until normgen_onednn_destroy. Arrays a pass does not use may be null. Returns 0, or -1 with a message.
int normgen_onednn_create(int pass, long long rows, long long hidden, float epsilon,
                          float* x, float* gamma, float* beta, float* y, float* mean, float* variance,
                          float* dy, float* dx, float* dgamma, float* dbeta,
                          normgen_onednn** result, char* error, int error_length) {
    using dnnl::memory;
    using tag = memory::format_tag;
    *result = nullptr;
    try {
        use_one_thread();
        auto handle = std::make_unique<normgen_onednn>();  // freed on any throw
        handle->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
        handle->stream = dnnl::stream(handle->engine);
        const memory::desc data({rows, hidden}, memory::data_type::f32, tag::ab);
        const memory::desc statistics({rows}, memory::data_type::f32, tag::a);
        const memory::desc parameter({hidden}, memory::data_type::f32, tag::a);
        const auto flags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
        dnnl::primitive_attr attributes;
        attributes.set_scratchpad_mode(dnnl::scratchpad_mode::user);

        auto bind = [&](int argument, const memory::desc& desc, float* data_pointer) {
            if (data_pointer == nullptr)
                throw std::runtime_error("argument " + std::to_string(argument) + " is null");
            handle->memories.emplace_back(desc, handle->engine, data_pointer);
            handle->arguments.push_back({argument, handle->memories.back().get()});
        };
        auto bind_scratchpad = [&](const memory::desc& desc) {
            handle->memories.emplace_back(desc, handle->engine);  // allocated once, here
            handle->arguments.push_back({DNNL_ARG_SCRATCHPAD, handle->memories.back().get()});
        };
        handle->memories.reserve(12);  // no reallocation: the raw argument list points into these objects

        const bool training = pass != NORMGEN_ONEDNN_FORWARD_INFERENCE;
        dnnl::layer_normalization_forward::desc forward_desc(
            training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference,
            data, statistics, epsilon, flags);
        dnnl::layer_normalization_forward::primitive_desc forward(forward_desc, attributes, handle->engine);

        if (pass == NORMGEN_ONEDNN_FORWARD_INFERENCE || pass == NORMGEN_ONEDNN_FORWARD_TRAINING) {
            bind(DNNL_ARG_SRC, data, x);
            bind(DNNL_ARG_SCALE, parameter, gamma);
            bind(DNNL_ARG_SHIFT, parameter, beta);
            bind(DNNL_ARG_DST, data, y);
            if (training) {
                bind(DNNL_ARG_MEAN, statistics, mean);
                bind(DNNL_ARG_VARIANCE, statistics, variance);
            }
            bind_scratchpad(forward.scratchpad_desc());
            handle->primitive = dnnl::layer_normalization_forward(forward);
            handle->implementation = forward.impl_info_str();
        } else if (pass == NORMGEN_ONEDNN_BACKWARD) {
            // prop_kind::backward: diff_src and the parameters' diffs (backward_data would skip dgamma, dbeta).
            dnnl::layer_normalization_backward::desc backward_desc(
                dnnl::prop_kind::backward, data, data, statistics, epsilon, flags);
            dnnl::layer_normalization_backward::primitive_desc backward(
                backward_desc, attributes, handle->engine, forward);
            bind(DNNL_ARG_SRC, data, x);
            bind(DNNL_ARG_DIFF_DST, data, dy);
            bind(DNNL_ARG_MEAN, statistics, mean);
            bind(DNNL_ARG_VARIANCE, statistics, variance);
            bind(DNNL_ARG_SCALE, parameter, gamma);
            // Backward never reads beta, but oneDNN 2.6 counts DNNL_ARG_SHIFT as an input of a use_shift backward
            // and refuses to execute without it (dnnl_invalid_arguments).
            bind(DNNL_ARG_SHIFT, parameter, beta);
            bind(DNNL_ARG_DIFF_SRC, data, dx);
            bind(DNNL_ARG_DIFF_SCALE, parameter, dgamma);
            bind(DNNL_ARG_DIFF_SHIFT, parameter, dbeta);
            bind_scratchpad(backward.scratchpad_desc());
            handle->primitive = dnnl::layer_normalization_backward(backward);
            handle->implementation = backward.impl_info_str();
        } else {
            copy_message("unknown pass " + std::to_string(pass), error, error_length);
            return -1;
        }
        *result = handle.release();
        return 0;
    } catch (const dnnl::error& e) {
        copy_message(std::string("oneDNN: ") + e.what() + " (status " + std::to_string(e.status) + ")",
                     error, error_length);
    } catch (const std::exception& e) {
        copy_message(e.what(), error, error_length);
    }
    return -1;
}

// oneDNN's name for the implementation the handle runs; valid until normgen_onednn_destroy.
const char* normgen_onednn_implementation(const normgen_onednn* handle) {
    return handle->implementation.c_str();
}

// Runs the pass on the bound arrays. Returns 0 (dnnl_success) or oneDNN's status.
int normgen_onednn_execute(normgen_onednn* handle) {
    use_one_thread();
    dnnl_status_t status = dnnl_primitive_execute(handle->primitive.get(), handle->stream.get(),
                                                  static_cast<int>(handle->arguments.size()),
                                                  handle->arguments.data());
    if (status != dnnl_success)
        return status;
    return dnnl_stream_wait(handle->stream.get());
}

void normgen_onednn_destroy(normgen_onednn* handle) {
    delete handle;
}

}  // extern "C"
