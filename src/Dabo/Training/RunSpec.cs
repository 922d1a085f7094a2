using Dabo.Methods;

namespace Dabo.Training;

/// <summary>
/// A run, parsed once at the boundary: the configuration (the shape of <c>config.json</c>, checked) and the method
/// resolved into its typed <see cref="TrainingMethod"/> with its options. Everything after this reads the method
/// object, never the method's text.
/// </summary>
public sealed class RunSpec
{
    private RunSpec(TrainingConfig config, TrainingMethod method)
    {
        Config = config;
        Method = method;
        Data = config.Data;
        Classifier = config.Classifier;
        Sgd = config.Sgd;
    }

    /// <summary>The run's configuration, as <c>config.json</c> stores it.</summary>
    public TrainingConfig Config { get; }

    /// <summary>What the run trains on.</summary>
    public DataOptions Data { get; }

    /// <summary>The classifier.</summary>
    public ClassifierOptions Classifier { get; }

    /// <summary>The optimization.</summary>
    public SgdOptions Sgd { get; }

    /// <summary>Evaluate the test split every this many epochs (and after the last).</summary>
    public int TestEvery => Config.TestEvery;

    /// <summary>The run's seed (initialization; every other stream derives from it, <see cref="Seeds"/>).</summary>
    public int Seed => Config.Seed;

    /// <summary>The method that trains.</summary>
    public TrainingMethod Method { get; }

    /// <summary>The named random streams of the run.</summary>
    public SeedStreams Seeds => new(Config.Seed);

    /// <summary>Checks <paramref name="config"/> (ranges, names, the method's syntax, arguments and files) and resolves its method.</summary>
    /// <exception cref="DaboException">The first value a run would refuse, naming its flag.</exception>
    public static RunSpec From(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        CheckMethodOptions(config);
        var method = MethodSpec.Parse(config.Augment).Resolve(config);
        method.Check();
        return new RunSpec(config, method);
    }

    /// <summary>
    /// Checks that every key of <see cref="TrainingConfig.MethodOptions"/> is an option some registered kind declares,
    /// within its range. Options of other kinds than the run's are kept: a comparison shares one configuration.
    /// </summary>
    /// <exception cref="DaboException">An unknown key or a value out of range, naming <c>--set KEY</c>.</exception>
    public static void CheckMethodOptions(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var declared = MethodRegistry.Options;
        foreach (var (key, value) in config.MethodOptions?.Values ?? new Dictionary<string, double>())
        {
            var option = declared.FirstOrDefault(d => d.Option.Key == key).Option
                ?? throw new DaboException($"--set {key}: no method has this option; " + (declared.Count == 0 ? "no method declares any" : $"known: {string.Join(", ", declared.Select(d => d.Option.Key))}"));
            option.Range.Check(value);
        }
    }
}
