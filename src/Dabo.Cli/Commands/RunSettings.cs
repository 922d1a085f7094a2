using System.ComponentModel;
using System.Reflection;
using Dabo.Methods;
using Dabo.Training;
using Dabo.Training.Bilevel;
using Dabo.Training.Policy;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary>Flags shared by commands that train classifiers; unset flags keep <see cref="TrainingConfig"/>'s defaults.</summary>
public class RunSettings : CommandSettings, ICacheDirectorySettings
{
    private static readonly TrainingConfig Defaults = new();

    /// <summary>Help of the flag, shared with <c>preview</c>.</summary>
    public const string ImageSizeHelp = "Resize every image to N×N when the dataset is read (bilinear, antialiased; decoded images are cached per size); needed when an image folder mixes sizes. Default: the stored size.";

    /// <summary>Help of the flag, shared with <c>preview</c>.</summary>
    public const string TrainSizeHelp = "Images drawn (stratified) from the training split, before the validation split; 0 for all. Default: all images of a dataset given by path, 1000 of fashion-mnist.";

    /// <summary>Help of the flag, shared with <c>preview</c>.</summary>
    public const string ValRatioHelp = "Share of the training images held out for validation, stratified (default 0.2).";

    /// <summary>Help of the flag, shared with <c>preview</c>.</summary>
    public const string DataSeedHelp = "Seed of the training subset and validation split (default 0), separate so that seeds compare methods on the same images.";

    /// <summary>Help of the flag, shared with <c>preview</c>.</summary>
    public const string NoFlipHelp = "Never mirror images in fixed augmentations (for data a mirror changes, such as digits).";

    /// <summary>Configuration file.</summary>
    [CommandOption("--config <FILE>")]
    [Description("JSON file of training settings (snake_case keys as in a run's config.json); flags override it; unknown keys are errors.")]
    public string? Config { get; init; }

    /// <summary>TensorBoard directory.</summary>
    [CommandOption("--tensorboard <DIR>")]
    [Description("Also write TensorBoard event files (scalars and augmentation grids) below DIR.")]
    public string? TensorBoard { get; init; }

    /// <summary>Dataset.</summary>
    [CommandOption("-d|--dataset <PATH>")]
    [Description("Dataset directory or archive, or 'fashion-mnist' (default).")]
    public string? Dataset { get; init; }

    /// <summary>Image size.</summary>
    [CommandOption("--image-size <N>")]
    [Description(ImageSizeHelp)]
    public int? ImageSize { get; init; }

    /// <summary>Pixel limit per image.</summary>
    [CommandOption("--max-image-pixels <N>")]
    [Description("Refuse images larger than N pixels (width × height, read from the file's header before decoding; default 50000000, 50 megapixels).")]
    public long? MaxImagePixels { get; init; }

    /// <summary>Model.</summary>
    [CommandOption("-m|--model <NAME>")]
    [Description("Classifier: " + RegistryHelp.Models + " (wrn-D-K with numbers, e.g. wrn-16-4). Default small-cnn.")]
    public string? Model { get; init; }

    /// <summary>Augmentation.</summary>
    [CommandOption("-a|--augment <METHOD>")]
    [Description("Augmentation method: " + RegistryHelp.Methods + "; combine fixed ones with '+', a learned one last (standard+learned-affine). Default none.")]
    public string? Augment { get; init; }

    /// <summary>Pretrained weights.</summary>
    [CommandOption("--init <FILE>")]
    [Description("Start the classifier from FILE.safetensors (a 'dabo export' of the same --model, or torchvision's resnet18 converted as docs/export.md shows) instead of random weights; a head with another class count is re-initialized. Part of the run's identity.")]
    public string? Init { get; init; }

    /// <summary>Head-only epochs.</summary>
    [CommandOption("--freeze-epochs <N>")]
    [Description("With --init: train only the classifier's head for the first N epochs, the loaded layers frozen (default 0).")]
    public int? FreezeEpochs { get; init; }

    /// <summary>Training subset size.</summary>
    [CommandOption("--train-size <N>")]
    [Description(TrainSizeHelp)]
    public int? TrainSize { get; init; }

    /// <summary>Validation share.</summary>
    [CommandOption("--val-ratio <R>")]
    [Description(ValRatioHelp)]
    public double? ValRatio { get; init; }

    /// <summary>Train on validation too.</summary>
    [CommandOption("--train-on-validation")]
    [Description("Let the classifier also train on the validation images (off by default).")]
    public bool TrainOnValidation { get; init; }

    /// <summary>Epochs.</summary>
    [CommandOption("-e|--epochs <E>")]
    [Description("Epochs (default 30).")]
    public int? Epochs { get; init; }

    /// <summary>Batch size.</summary>
    [CommandOption("-b|--batch-size <B>")]
    [Description("Mini-batch size (default 32).")]
    public int? BatchSize { get; init; }

    /// <summary>Learning rate.</summary>
    [CommandOption("--lr <LR>")]
    [Description("Peak learning rate of the classifier's SGD (default 0.05).")]
    public double? Lr { get; init; }

    /// <summary>Momentum.</summary>
    [CommandOption("--momentum <M>")]
    [Description("SGD momentum (default 0.9).")]
    public double? Momentum { get; init; }

    /// <summary>Weight decay.</summary>
    [CommandOption("--weight-decay <WD>")]
    [Description("L2 weight decay (default 5e-4).")]
    public double? WeightDecay { get; init; }

    /// <summary>Nesterov.</summary>
    [CommandOption("--nesterov")]
    [Description("Nesterov momentum.")]
    public bool Nesterov { get; init; }

    /// <summary>Schedule.</summary>
    [CommandOption("--schedule <NAME>")]
    [Description("Learning-rate schedule: cosine (default), step (×0.2 at 30/60/80 % of training), constant.")]
    public string? Schedule { get; init; }

    /// <summary>Warm-up.</summary>
    [CommandOption("--warmup-epochs <E>")]
    [Description("Epochs of linear learning-rate warm-up (default 0).")]
    public double? WarmupEpochs { get; init; }

    /// <summary>Test evaluation interval.</summary>
    [CommandOption("--test-every <N>")]
    [Description("Evaluate the test split every N epochs and after the last (default 1); validation is evaluated every epoch. Larger N saves time on big test sets.")]
    public int? TestEvery { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("-s|--seed <S>")]
    [Description("Seed of initialization, batch order and augmentation noise (default 0).")]
    public int? Seed { get; init; }

    /// <summary>Data seed.</summary>
    [CommandOption("--data-seed <S>")]
    [Description(DataSeedHelp)]
    public int? DataSeed { get; init; }

    /// <summary>No flips.</summary>
    [CommandOption("--no-flip")]
    [Description(NoFlipHelp)]
    public bool NoFlip { get; init; }

    /// <summary>Inner steps.</summary>
    [CommandOption("--inner-steps <K>")]
    [Description(BilevelOptions.InnerStepsHelp)]
    public int? InnerSteps { get; init; }

    /// <summary>Hypergradient.</summary>
    [CommandOption("--hypergrad <METHOD>")]
    [Description(BilevelOptions.HypergradHelp)]
    public string? Hypergrad { get; init; }

    /// <summary>Augmenter lr.</summary>
    [CommandOption("--augmenter-lr <LR>")]
    [Description(BilevelOptions.AugmenterLrHelp)]
    public double? AugmenterLr { get; init; }

    /// <summary>Augmenter momentum.</summary>
    [CommandOption("--augmenter-momentum <M>")]
    [Description(BilevelOptions.AugmenterMomentumHelp)]
    public double? AugmenterMomentum { get; init; }

    /// <summary>Augmenter weight decay.</summary>
    [CommandOption("--augmenter-weight-decay <WD>")]
    [Description(BilevelOptions.AugmenterWeightDecayHelp)]
    public double? AugmenterWeightDecay { get; init; }

    /// <summary>Augmenter parametrization.</summary>
    [CommandOption("--augmenter-kind <KIND>")]
    [Description(BilevelOptions.AugmenterKindHelp)]
    public string? AugmenterKind { get; init; }

    /// <summary>Apply probability.</summary>
    [CommandOption("--apply-probability <P>")]
    [Description(BilevelOptions.ApplyProbabilityHelp)]
    public double? ApplyProbability { get; init; }

    /// <summary>Policy lr.</summary>
    [CommandOption("--policy-lr <LR>")]
    [Description(PolicyOptions.LrHelp)]
    public double? PolicyLr { get; init; }

    /// <summary>Policy KL weight.</summary>
    [CommandOption("--policy-kl <BETA>")]
    [Description(PolicyOptions.KlHelp)]
    public double? PolicyKl { get; init; }

    /// <summary>Policy update interval.</summary>
    [CommandOption("--policy-update-every <N>")]
    [Description(PolicyOptions.UpdateEveryHelp)]
    public int? PolicyUpdateEvery { get; init; }

    /// <summary>Draws per image at an update.</summary>
    [CommandOption("--policy-samples <A>")]
    [Description(PolicyOptions.SamplesHelp)]
    public int? PolicySamples { get; init; }

    /// <summary>Validation images per update.</summary>
    [CommandOption("--policy-val-images <M>")]
    [Description(PolicyOptions.ValImagesHelp)]
    public int? PolicyValImages { get; init; }

    /// <summary>Policy operations.</summary>
    [CommandOption("--policy-ops <LIST>")]
    [Description(PolicyOptions.OperationsHelp)]
    public string? PolicyOperations { get; init; }

    /// <summary>Control.</summary>
    [CommandOption("--policy-control <MODE>")]
    [Description(PolicyOptions.ControlHelp)]
    public string? PolicyControl { get; init; }

    /// <summary>Method options.</summary>
    [CommandOption("--set <KEY=VALUE>")]
    [Description("An option a method kind declares, KEY=VALUE (repeat the flag for several): " + RegistryHelp.MethodOptions + ".")]
    public string[]? Set { get; init; }

    /// <summary>Device.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("cpu (default) or cuda (untested: no GPU was available; see docs/install.md).")]
    public string? Device { get; init; }

    /// <summary>Threads.</summary>
    [CommandOption("--threads <T>")]
    [Description("CPU threads (default: all cores).")]
    public int? Threads { get; init; }

    /// <summary>Cache directory.</summary>
    [CommandOption("--cache-dir <DIR>")]
    [Description("Where decoded image folders are cached (default: $DABO_CACHE_DIR, else ~/.cache/dabo).")]
    public string? CacheDir { get; init; }

    /// <summary>Reads a <c>--config</c> file.</summary>
    public static TrainingConfig LoadConfigFile(string path)
    {
        if (Directory.Exists(path))
        {
            // A run directory is refused rather than read: its config.json also fixes --augment, --seed and the rest, which a user passing a directory may not mean.
            throw new DaboException($"--config {path}: is a directory; pass the config.json file (e.g. {Path.Combine(path, "config.json")})");
        }
        if (!File.Exists(path))
        {
            throw new DaboException($"--config {path}: no such file");
        }
        return TrainingConfig.FromJson(File.ReadAllText(path), path);
    }

    // Every long flag given on the command line (a value, or a switch that is on), read from the options' attributes.
    private IEnumerable<string> GivenFlags() => GetType().GetProperties()
        .Select(p => (Property: p, Option: p.GetCustomAttribute<CommandOptionAttribute>()))
        .Where(x => x.Option is not null && x.Property.GetValue(this) is not (null or false))
        .SelectMany(x => x.Option!.LongNames.Select(n => "--" + n));

    /// <summary>
    /// Refuses a flag that only one kind of method reads (<see cref="MethodKind.OwnFlags"/>, e.g. <c>--policy-*</c>) when
    /// none of <paramref name="methods"/> is of that kind: it would be ignored without a word.
    /// </summary>
    /// <param name="methods">The methods the command trains.</param>
    /// <param name="what">Where the methods come from, for the message (e.g. <c>--augment is trivialaugment</c>).</param>
    /// <exception cref="DaboException">A method flag without a method of its kind.</exception>
    public void CheckPolicyFlags(IReadOnlyList<string> methods, string what)
    {
        var given = GivenFlags().ToList();
        if (given.Count == 0 && Set is null)
        {
            return;
        }
        var kinds = methods.Select(m => MethodSpec.Parse(m, allowGrid: true).Learned?.Kind).OfType<MethodKind>().ToList();
        foreach (var key in (Set ?? []).Select(a => MethodOptionValues.ParseAssignment(a).Key))
        {
            var owner = MethodRegistry.Options.FirstOrDefault(o => o.Option.Key == key).Kind;
            if (owner is not null && !kinds.Contains(owner))
            {
                throw new DaboException($"--set {key}: applies only to {owner.Name} methods ({string.Join(", ", owner.Syntaxes.Select(s => s.Split('[')[0]))}); {what}");
            }
        }
        foreach (var flag in given)
        {
            var owner = MethodRegistry.Kinds.FirstOrDefault(k => k.OwnFlags.Contains(flag));
            if (owner is not null && !kinds.Contains(owner))
            {
                throw new DaboException($"{flag} applies only to {owner.Name} methods ({string.Join(", ", owner.Syntaxes.Select(s => s.Split('[')[0]))}); {what}");
            }
        }
    }

    private static bool ConfigFileNames(string path, string key)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && document.RootElement.TryGetProperty(key, out _);
    }

    /// <summary>The observers for a run: console progress plus TensorBoard when asked.</summary>
    public ITrainingObserver Observer(ConsoleObserver console) =>
        TensorBoard is null ? console : new CompositeObserver(console, new Dabo.Experiments.TensorBoardObserver(TensorBoard));

    /// <summary>Builds the run configuration from the defaults (or <c>--config</c>) and the given flags.</summary>
    public TrainingConfig ToConfig(TrainingConfig? baseConfig = null)
    {
        var b = baseConfig ?? (Config is null ? Defaults : LoadConfigFile(Config));
        string dataset = Dataset ?? b.Dataset;
        // Without the flag (or the config file's key) the default depends on the dataset: never cut down your own images.
        bool baseNamesTrainSize = baseConfig is not null || (Config is not null && ConfigFileNames(Config, "train_size"));
        var config = b with
        {
            Dataset = dataset,
            ImageSize = ImageSize ?? b.ImageSize,
            MaxImagePixels = MaxImagePixels ?? b.MaxImagePixels,
            Model = Model ?? b.Model,
            Augment = Augment ?? b.Augment,
            TrainSize = TrainSize switch
            {
                null => baseNamesTrainSize ? b.TrainSize : TrainingConfig.DefaultTrainSize(dataset),
                0 => null,
                _ => TrainSize,
            },
            ValRatio = ValRatio ?? b.ValRatio,
            Init = Init ?? b.Init,
            FreezeEpochs = FreezeEpochs ?? b.FreezeEpochs,
            TrainOnValidation = TrainOnValidation || b.TrainOnValidation,
            Epochs = Epochs ?? b.Epochs,
            BatchSize = BatchSize ?? b.BatchSize,
            Lr = Lr ?? b.Lr,
            Momentum = Momentum ?? b.Momentum,
            WeightDecay = WeightDecay ?? b.WeightDecay,
            Nesterov = Nesterov || b.Nesterov,
            Schedule = Schedule is null ? b.Schedule : OptionNames.Schedule(Schedule),
            WarmupEpochs = WarmupEpochs ?? b.WarmupEpochs,
            TestEvery = TestEvery ?? b.TestEvery,
            Seed = Seed ?? b.Seed,
            DataSeed = DataSeed ?? b.DataSeed,
            Flip = !NoFlip && b.Flip,
            InnerSteps = InnerSteps ?? b.InnerSteps,
            Hypergrad = Hypergrad is null ? b.Hypergrad : OptionNames.Hypergrad(Hypergrad),
            AugmenterLr = AugmenterLr ?? b.AugmenterLr,
            AugmenterMomentum = AugmenterMomentum ?? b.AugmenterMomentum,
            AugmenterWeightDecay = AugmenterWeightDecay ?? b.AugmenterWeightDecay,
            AugmenterKind = AugmenterKind is null ? b.AugmenterKind : OptionNames.AugmenterKind(AugmenterKind),
            ApplyProbability = ApplyProbability ?? b.ApplyProbability,
            PolicyLr = PolicyLr ?? b.PolicyLr,
            PolicyKl = PolicyKl ?? b.PolicyKl,
            PolicyUpdateEvery = PolicyUpdateEvery ?? b.PolicyUpdateEvery,
            PolicySamples = PolicySamples ?? b.PolicySamples,
            PolicyValImages = PolicyValImages ?? b.PolicyValImages,
            PolicyControl = PolicyControl is null ? b.PolicyControl : OptionNames.PolicyControl(PolicyControl),
            PolicyOperations = PolicyOperations ?? b.PolicyOperations,
            Device = Device ?? b.Device,
            MethodOptions = Set is null ? b.MethodOptions : MethodOptionValues.Merge(b.MethodOptions, Set.Select(MethodOptionValues.ParseAssignment)),
        };
        config.Validate();
        RunSpec.CheckMethodOptions(config);
        return config;
    }
}
