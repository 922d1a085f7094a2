using TorchSharp;

namespace Dabo.Training;

/// <summary>
/// The one place that turns <c>--device</c> into a TorchSharp device, so the rest of the code is
/// device-agnostic. CUDA works where the TorchSharp CUDA runtime package replaces the CPU one.
/// </summary>
public static class ComputeDevice
{
    /// <summary>Resolves <c>cpu</c> or <c>cuda</c> (optionally <c>cuda:N</c>).</summary>
    /// <exception cref="DaboException">For an unknown name or when CUDA is unavailable.</exception>
    public static torch.Device Resolve(string name)
    {
        if (name == "cpu")
        {
            return torch.CPU;
        }
        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
            {
                throw new DaboException($"--device {name}: CUDA is not available here (this build references the CPU runtime, TorchSharp-cpu, or no GPU is visible); use --device cpu");
            }
            return torch.device(name);
        }
        throw new DaboException($"--device {name}: unknown device; use cpu or cuda");
    }
}
