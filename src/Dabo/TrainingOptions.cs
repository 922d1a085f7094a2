using Dabo.Methods;
using Dabo.Training;
using static TorchSharp.torch;

namespace Dabo;

/// <summary>Builds a classifier for images of <paramref name="channels"/> channels and <paramref name="classes"/> classes.</summary>
/// <param name="channels">Image channels (1 or 3).</param>
/// <param name="classes">Number of output logits.</param>
public delegate nn.Module<Tensor, Tensor> ModuleFactory(int channels, int classes);

/// <summary>
/// Everything <see cref="DaboTrainer"/> needs for one training run. <see cref="Config"/> holds the
/// hyperparameters (what a run directory's <c>config.json</c> stores); the other properties say where data,
/// model and output come from and what global state the run may change.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The hyperparameters; its <see cref="TrainingConfig.Augment"/> is replaced by <see cref="Method"/> when that is set.</summary>
    public TrainingConfig Config { get; init; } = new();

    /// <summary>The augmentation method, e.g. <c>MethodSpec.Parse("standard+learned-policy")</c>; null keeps <see cref="TrainingConfig.Augment"/>.</summary>
    public MethodSpec? Method { get; init; }

    /// <summary>Images in memory, used instead of <see cref="TrainingConfig.Dataset"/>; null loads the dataset by path or name.</summary>
    public InMemoryData? Data { get; init; }

    /// <summary>
    /// A classifier of your own instead of <see cref="TrainingConfig.Model"/>. It works with every method that needs only
    /// first-order gradients (none, fixed augmentations, learned policies, <c>learned:RUN_DIR</c>, learned augmenters with
    /// <see cref="HypergradMethod.Fd"/>); the exact hypergradient needs a Dabo model's functional forward and is refused.
    /// </summary>
    public ModuleFactory? Model { get; init; }

    /// <summary>
    /// The run directory (checkpoints, metrics, <c>summary.json</c>); null trains in a temporary directory that is deleted
    /// when the run ends (nothing is left on disk; the run cannot be resumed).
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Continue the run in <see cref="OutputDirectory"/> from its last checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>CPU threads for the run; null keeps the process's current setting. The previous setting is restored afterwards.</summary>
    public int? Threads { get; init; }

    /// <summary>Decoded-image cache for image folders (null: <c>$DABO_CACHE_DIR</c>, else <c>~/.cache/dabo</c>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Step-level progress, warnings and more (optional; epoch progress also goes to the <c>progress</c> argument).</summary>
    public ITrainingObserver? Observer { get; init; }

    /// <summary>
    /// A safetensors file to start the classifier from (Dabo's <c>export</c> or torchvision's <c>resnet18</c> names); null keeps
    /// <see cref="TrainingConfig.Init"/>. With <see cref="TrainingConfig.FreezeEpochs"/> only the head trains at first.
    /// </summary>
    public string? InitWeights { get; init; }

    /// <summary>The configuration the run uses: <see cref="Config"/> with <see cref="Method"/> and <see cref="InitWeights"/> applied.</summary>
    public TrainingConfig EffectiveConfig => Config with
    {
        Augment = Method is null ? Config.Augment : Method.ToString(),
        Init = InitWeights ?? Config.Init,
    };
}
