using System.Text.Json;
using System.Text.Json.Serialization;
using Dabo.Augmentation.Learned;
using Dabo.Training.Bilevel;
using Dabo.Training.Policy;

namespace Dabo.Training;

/// <summary>
/// Everything that defines a training run. Saved as <c>config.json</c> in the run directory; a
/// run can only be resumed with the same configuration (fields marked as not identifying, like
/// the thread count, may differ).
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Dataset path or name.</summary>
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>Resize every image to this height and width when the dataset is read (bilinear, antialiased); null keeps the stored size.</summary>
    public int? ImageSize { get; init; }

    /// <summary>
    /// Largest image (width × height, read from its header before decoding) an image folder may hold; null for
    /// <see cref="Dabo.Data.ImageCodec.DefaultMaxPixels"/> (50 megapixels). Raise it for datasets of larger photographs.
    /// </summary>
    public long? MaxImagePixels { get; init; }

    /// <summary>Classifier name (see ModelRegistry).</summary>
    public string Model { get; init; } = "small-cnn";

    /// <summary>Augmentation method, e.g. <c>none</c>, <c>standard+trivialaugment</c>, <c>learned-affine</c>.</summary>
    public string Augment { get; init; } = "none";

    /// <summary>
    /// Training images drawn (stratified) from the official training split; null for all. The library's default is 1,000;
    /// the command line starts from <see cref="DefaultTrainSize"/> instead, which keeps every image of a dataset given by path.
    /// </summary>
    public int? TrainSize { get; init; } = 1000;

    /// <summary>
    /// The training-subset size when none is given on the command line: 1,000 images for the built-in <c>fashion-mnist</c>
    /// (the quick demonstration the defaults are tuned for), every image (null) of a dataset given by path: your own images
    /// are never silently cut down.
    /// </summary>
    /// <param name="dataset">The dataset's path or name.</param>
    public static int? DefaultTrainSize(string dataset) =>
        string.Equals(dataset, Dabo.Data.DatasetLoader.FashionMnistName, StringComparison.Ordinal) ? 1000 : null;

    /// <summary>Share of the training images held out for validation (stratified).</summary>
    public double ValRatio { get; init; } = 0.2;

    /// <summary>Whether the classifier also trains on the validation images (off: they are only used for model selection and hypergradients).</summary>
    public bool TrainOnValidation { get; init; }

    /// <summary>Whether fixed augmentations may mirror images (off for data a mirror changes, e.g. digits).</summary>
    public bool Flip { get; init; } = true;

    /// <summary>Epochs over the training images.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>
    /// Safetensors file whose weights start the classifier instead of a random initialization (Dabo's <c>export</c>, or
    /// torchvision's <c>resnet18</c> names; see <see cref="Artifacts.PretrainedWeights"/>); null: random. Part of the run's identity.
    /// </summary>
    public string? Init { get; init; }

    /// <summary>Epochs at the start during which only the classifier's head trains (needs <see cref="Init"/>; the rest keeps its loaded weights).</summary>
    public int FreezeEpochs { get; init; }

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate of the classifier.</summary>
    public double Lr { get; init; } = 0.05;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Learning-rate schedule: step, cosine or constant.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Epochs of linear learning-rate warm-up.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Evaluate the test split every this many epochs (and always after the last); validation is evaluated every epoch.</summary>
    public int TestEvery { get; init; } = 1;

    /// <summary>Seed of initialization, batch order and augmentation noise.</summary>
    public int Seed { get; init; }

    /// <summary>Seed of the training subset and validation split, kept apart from <see cref="Seed"/> so that seeds compare methods on the same images.</summary>
    public int DataSeed { get; init; }

    /// <summary>Compute device: cpu or cuda.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Learned augmentation: inner steps K of the truncated look-ahead.</summary>
    public int InnerSteps { get; init; } = BilevelOptions.Default.InnerSteps;

    /// <summary>Learned augmentation: hypergradient method, <c>exact</c>, <c>fd</c> (forward difference) or <c>fd-central</c>.</summary>
    public HypergradMethod Hypergrad { get; init; } = BilevelOptions.Default.Hypergrad;

    /// <summary>Learned augmentation: augmenter learning rate.</summary>
    public double AugmenterLr { get; init; } = BilevelOptions.Default.AugmenterLr;

    /// <summary>Learned augmentation: augmenter SGD momentum.</summary>
    public double AugmenterMomentum { get; init; } = BilevelOptions.Default.AugmenterMomentum;

    /// <summary>Learned augmentation: augmenter weight decay.</summary>
    public double AugmenterWeightDecay { get; init; } = BilevelOptions.Default.AugmenterWeightDecay;

    /// <summary>Learned augmentation: parametrization, <c>ranges</c> or <c>mlp</c>.</summary>
    public AugmenterParametrization AugmenterKind { get; init; } = BilevelOptions.Default.AugmenterKind;

    /// <summary>Learned augmentation: share of images the augmenter transforms (<see cref="BilevelOptions.ApplyProbability"/>).</summary>
    public double ApplyProbability { get; init; } = BilevelOptions.Default.ApplyProbability;

    /// <summary>Learned policy: Adam learning rate of the policy's logits.</summary>
    public double PolicyLr { get; init; } = PolicyOptions.Default.Lr;

    /// <summary>Learned policy: weight β of the KL penalty towards the uniform prior.</summary>
    public double PolicyKl { get; init; } = PolicyOptions.Default.Kl;

    /// <summary>Learned policy: refresh the validation gradient and update the policy every this many steps (it only samples in between).</summary>
    public int PolicyUpdateEvery { get; init; } = PolicyOptions.Default.UpdateEvery;

    /// <summary>Learned policy: augmented draws per training image at an update (their mean is each draw's baseline).</summary>
    public int PolicySamples { get; init; } = PolicyOptions.Default.Samples;

    /// <summary>Learned policy: validation images behind each validation gradient.</summary>
    public int PolicyValImages { get; init; } = PolicyOptions.Default.ValImages;

    /// <summary>
    /// Learned policy: the operations it chooses from, comma-separated names of the table of
    /// operations (e.g. <c>identity,translate-x,translate-y,cutout</c>); empty for TrivialAugment-Wide's set.
    /// </summary>
    public string PolicyOperations { get; init; } = PolicyOptions.Default.Operations;

    /// <summary>Learned policy: <c>none</c>, or <c>shuffle</c> to permute the advantages within each batch (the control that destroys the signal).</summary>
    public PolicyControl PolicyControl { get; init; } = PolicyOptions.Default.Control;

    /// <summary>
    /// Options declared by method kinds (<c>Dabo.Methods.MethodOption</c>), by key, set with <c>--set KEY=VALUE</c>;
    /// null when none is set (config.json then has no <c>method_options</c> key).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MethodOptionValues? MethodOptions { get; init; }

    /// <summary>JSON options for configs, metrics and summaries: snake_case, indented.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Enums as the command line writes them ("cosine", "fd-central"): run directories written when these were strings still read.
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>
    /// The accepted range of every numeric field, by flag: the one table that both the command line
    /// (before parsing) and <see cref="Validate"/> (for config files) check against.
    /// </summary>
    public static IReadOnlyList<NumericRange> Ranges { get; } =
    [
        NumericRange.Whole("--image-size", 8, 1024, "e.g. 32"),
        NumericRange.Whole("--max-image-pixels", 1, 1L << 40, "e.g. 100000000 for 100 megapixels"),
        NumericRange.Whole("--train-size", 0, int.MaxValue, "0 for all images"),
        new("--val-ratio", 0, 1, MaxExclusive: true, Hint: "e.g. 0.2"),
        NumericRange.Whole("--epochs", 1, 100_000, "e.g. 30"),
        NumericRange.Whole("--batch-size", 1, 65_536, "e.g. 32"),
        NumericRange.Whole("--freeze-epochs", 0, 100_000, "e.g. 5, at most --epochs"),
        new("--lr", 0, NumericRange.MaxLearningRate, MinExclusive: true, Hint: "e.g. 0.05"),
        new("--momentum", 0, 1, MaxExclusive: true, Hint: "e.g. 0.9"),
        new("--weight-decay", 0, 1, Hint: "e.g. 5e-4"),
        new("--warmup-epochs", 0, 100_000, Hint: "and below --epochs"),
        NumericRange.Whole("--test-every", 1, 100_000, "e.g. 1"),
        NumericRange.Whole("--seed", 0, int.MaxValue),
        NumericRange.Whole("--data-seed", 0, int.MaxValue),
        .. BilevelOptions.Numeric.Select(o => o.Range),
        .. PolicyOptions.Numeric.Select(o => o.Range),
    ];

    private IEnumerable<(string Flag, double Value)> NumericValues()
    {
        if (ImageSize is int imageSize)
        {
            yield return ("--image-size", imageSize);
        }
        if (MaxImagePixels is long maxImagePixels)
        {
            yield return ("--max-image-pixels", maxImagePixels);
        }
        yield return ("--train-size", TrainSize ?? 0);
        yield return ("--val-ratio", ValRatio);
        yield return ("--epochs", Epochs);
        yield return ("--batch-size", BatchSize);
        yield return ("--freeze-epochs", FreezeEpochs);
        yield return ("--lr", Lr);
        yield return ("--momentum", Momentum);
        yield return ("--weight-decay", WeightDecay);
        yield return ("--warmup-epochs", WarmupEpochs);
        yield return ("--test-every", TestEvery);
        yield return ("--seed", Seed);
        yield return ("--data-seed", DataSeed);
    }

    /// <summary>Checks every field (ranges from <see cref="Ranges"/>, names, null keys of a config file); names the flag in the error.</summary>
    public void Validate()
    {
        foreach (var (flag, value) in NumericValues())
        {
            Ranges.Single(r => r.Flag == flag).Check(value);
        }
        if (TrainSize == 0)
        {
            throw new DaboException("--train-size 0: no training images; pass a positive number, or omit it (0 on the command line means all images)");
        }
        if (FreezeEpochs > 0 && Init is null)
        {
            throw new DaboException($"--freeze-epochs {FreezeEpochs}: needs --init FILE (only loaded weights are worth keeping frozen)");
        }
        if (FreezeEpochs > Epochs)
        {
            throw new DaboException($"--freeze-epochs {FreezeEpochs}: must be at most --epochs ({Epochs})");
        }
        if (Init is { Length: 0 })
        {
            throw new DaboException("--init: empty; pass a .safetensors file");
        }
        if (WarmupEpochs >= Epochs)
        {
            throw new DaboException($"--warmup-epochs {WarmupEpochs}: must be below --epochs ({Epochs})");
        }
        OptionNames.CheckDefined(Schedule, "--schedule");
        Bilevel.Check();
        Policy.Check();
    }

    /// <summary>What the run trains on, read from this configuration.</summary>
    [JsonIgnore]
    public DataOptions Data => new(Dataset, ImageSize, MaxImagePixels, TrainSize, ValRatio, TrainOnValidation, Flip, DataSeed);

    /// <summary>The classifier, read from this configuration.</summary>
    [JsonIgnore]
    public ClassifierOptions Classifier => new(Model, Init, FreezeEpochs, Device);

    /// <summary>The optimization, read from this configuration.</summary>
    [JsonIgnore]
    public SgdOptions Sgd => new(Epochs, BatchSize, Lr, Momentum, WeightDecay, Nesterov, Schedule, WarmupEpochs);

    /// <summary>The options of a learned augmenter's bilevel step, read from this configuration.</summary>
    [JsonIgnore]
    public BilevelOptions Bilevel => new()
    {
        InnerSteps = InnerSteps,
        Hypergrad = Hypergrad,
        AugmenterLr = AugmenterLr,
        AugmenterMomentum = AugmenterMomentum,
        AugmenterWeightDecay = AugmenterWeightDecay,
        AugmenterKind = AugmenterKind,
        ApplyProbability = ApplyProbability,
    };

    /// <summary>The options of a learned policy, read from this configuration.</summary>
    [JsonIgnore]
    public PolicyOptions Policy => new()
    {
        Lr = PolicyLr,
        Kl = PolicyKl,
        UpdateEvery = PolicyUpdateEvery,
        Samples = PolicySamples,
        ValImages = PolicyValImages,
        Operations = PolicyOperations,
        Control = PolicyControl,
    };

    // Keys whose values are enum words: a bad word in a config file gets the command line's message.
    private static readonly Dictionary<string, Action<string>> EnumKeys = new(StringComparer.Ordinal)
    {
        ["schedule"] = v => OptionNames.Schedule(v),
        ["hypergrad"] = v => OptionNames.Hypergrad(v),
        ["augmenter_kind"] = v => OptionNames.AugmenterKind(v),
        ["policy_control"] = v => OptionNames.PolicyControl(v),
    };

    /// <summary>The config.json keys whose values differ from <paramref name="other"/>'s (e.g. <c>augment</c>, <c>seed</c>), for messages.</summary>
    /// <param name="other">The configuration to compare with.</param>
    public IReadOnlyList<string> DifferingKeys(TrainingConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = System.Text.Json.Nodes.JsonNode.Parse(ToJson())!.AsObject();
        var theirs = System.Text.Json.Nodes.JsonNode.Parse(other.ToJson())!.AsObject();
        return [.. mine.Select(p => p.Key).Where(key => !System.Text.Json.Nodes.JsonNode.DeepEquals(mine[key], theirs[key]))];
    }

    /// <summary>Serializes to indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    // Reading refuses null for keys that cannot be null ("model": null would otherwise reach the trainer as a null name).
    private static readonly JsonSerializerOptions ReadOptions = new(JsonOptions) { RespectNullableAnnotations = true };

    /// <summary>Reads a config written by <see cref="ToJson"/>; unknown keys and null values of non-nullable keys are errors.</summary>
    public static TrainingConfig FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingConfig>(json, ReadOptions)
                ?? throw new DaboException($"{source}: empty configuration");
        }
        catch (JsonException e)
        {
            string key = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "";
            if (EnumKeys.TryGetValue(key, out var parse) && RawString(json, key) is { } word)
            {
                try
                {
                    parse(word);
                }
                catch (DaboException bad)
                {
                    throw new DaboException($"{source}: {bad.Message}", e);
                }
            }
            if (key.Length > 0 && e.Message.Contains("null value", StringComparison.OrdinalIgnoreCase))
            {
                throw new DaboException($"{source}: key '{key}' is null; give it a value or remove the key (the default is used)", e);
            }
            throw new DaboException($"{source}: invalid configuration{(key.Length > 0 ? $" at key '{key}'" : "")} ({e.Message.Split('\n')[0]})", e);
        }
    }

    private static string? RawString(string json, string key)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
