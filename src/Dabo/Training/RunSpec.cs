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
    }

    /// <summary>The run's configuration, as <c>config.json</c> stores it.</summary>
    public TrainingConfig Config { get; }

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
