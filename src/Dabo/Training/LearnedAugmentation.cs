using System.Text.Json;
using Dabo.Augmentation;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.IO;
using Dabo.Training.Bilevel;
using Dabo.Training.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>
/// The learned part of a method: <c>learned-…</c> names create an augmenter trained by the bilevel
/// step; <c>learned:RUN_DIR</c> loads the augmenter a finished run saved and trains a new
/// classifier with it frozen (no bilevel cost): transfer of a learned policy.
/// </summary>
public static class LearnedAugmentation
{
    private const string Magic = "DABO-AUGMENTER-v1";
    private const string AugmenterRemedy = "train the learned-augmentation run again to rewrite it";

    /// <summary>Checks a learned part without building anything (a transferred augmenter's file is read).</summary>
    public static void Validate(string learned)
    {
        var spec = MethodSpec.Parse(learned);
        Validate(spec.Learned ?? throw new DaboException($"--augment {learned}: not a learned part"));
    }

    /// <summary>Checks a parsed learned part: for <c>learned:RUN_DIR</c>, that the run's augmenter file exists and reads.</summary>
    public static void Validate(LearnedPart learned)
    {
        ArgumentNullException.ThrowIfNull(learned);
        if (learned.TransferDirectory is { } dir)
        {
            var source = new RunDirectory(dir);
            string file = source.AugmenterFile;
            if (!File.Exists(file) && !Directory.Exists(file) && File.Exists(source.PolicyFile))
            {
                throw new DaboException($"--augment {learned}: {dir} has a policy.json but no augmenter.bin (a learned-policy run, or a learned:DIR run); reuse its policy with --augment policy:{source.PolicyFile}");
            }
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                throw new DaboException($"--augment {learned}: {file} not found; pass the directory of a finished learned-augmentation run");
            }
            // Checked before the new run's directory is made: a damaged file must leave nothing behind.
            ChecksummedFile.Read(file, "augmenter", AugmenterRemedy, r => ReadHeader(r, file));
        }
    }

    /// <summary>Options of a run's augmenter, from its configuration.</summary>
    public static AugmenterOptions OptionsFor(TrainingConfig config) => new()
    {
        Parametrization = config.AugmenterKind,
        ApplyProbability = config.ApplyProbability,
        Seed = (config.Seed * 7919L) + 4,
    };

    /// <summary>
    /// The arguments (slots, ranges) of <c>learned-policy[:S][:wide|narrow]</c> or of its control
    /// <c>learned-policy-shuffled[…]</c>, or null when <paramref name="learned"/> is neither.
    /// </summary>
    public static PolicyArguments? PolicyArgumentsOf(string learned) => MethodSpec.PolicyArgumentsOf(learned);

    /// <summary>Writes <c>augmenter.bin</c> (checksummed): kind, channels, options and weights.</summary>
    public static void SaveAugmenter(Augmenter augmenter, RunDirectory run) => ChecksummedFile.Write(run.AugmenterFile, w =>
    {
        w.Write(Magic);
        w.Write(augmenter.Kind);
        w.Write(augmenter.Channels);
        w.Write(JsonSerializer.Serialize(augmenter.Options));
        augmenter.save(w);
    });

    /// <summary>Reads <c>augmenter.bin</c> of a run.</summary>
    /// <param name="run">The run that learned the augmenter.</param>
    /// <param name="channels">Channels of the data it will augment.</param>
    /// <param name="seed">Seed of its noise generator in the new run.</param>
    public static Augmenter LoadAugmenter(RunDirectory run, int channels, long seed)
    {
        string file = run.AugmenterFile;
        if (!File.Exists(file) && !Directory.Exists(file))
        {
            throw new DaboException($"{file}: not found; the run has no trained augmenter (was it a learned-augmentation run, and did it finish?)");
        }
        return ChecksummedFile.Read(file, "augmenter", AugmenterRemedy, r =>
        {
            var (kind, savedChannels, options) = ReadHeader(r, file);
            if (savedChannels != channels)
            {
                throw new DaboException($"{file}: augmenter was learned on {savedChannels}-channel images but this dataset has {channels}");
            }
            var augmenter = AugmenterFactory.Create(kind, channels, options with { Seed = seed });
            try
            {
                augmenter.load(r);
            }
            catch
            {
                augmenter.Dispose();
                throw;
            }
            return augmenter;
        });
    }

    // Kind, channels and options: everything but the weights, each checked so that a damaged file is named.
    private static (string Kind, int Channels, AugmenterOptions Options) ReadHeader(BinaryReader r, string file)
    {
        if (r.ReadString() != Magic)
        {
            throw new DaboException($"{file}: not a Dabo augmenter file; {AugmenterRemedy}");
        }
        string kind = r.ReadString();
        if (!AugmenterFactory.Names.Contains(kind))
        {
            throw new DaboException($"{file}: unknown augmenter kind '{kind}' (damaged, or from a newer Dabo); {AugmenterRemedy}");
        }
        int channels = r.ReadInt32();
        if (channels is not (1 or 3))
        {
            throw new DaboException($"{file}: invalid channel count {channels}; {AugmenterRemedy}");
        }
        var options = JsonSerializer.Deserialize<AugmenterOptions>(r.ReadString())
            ?? throw new DaboException($"{file}: augmenter options missing (null); {AugmenterRemedy}");
        try
        {
            options.Validate();
        }
        catch (DaboException e)
        {
            throw new DaboException($"{file}: invalid augmenter options ({e.Message}); {AugmenterRemedy}", e);
        }
        return (kind, channels, options);
    }

    /// <summary>For <c>learned:RUN_DIR</c>, loads the saved augmenter once to check it (kind, options, channels); other learned parts need no check.</summary>
    public static void CheckTransfer(LearnedPart learned, int channels)
    {
        ArgumentNullException.ThrowIfNull(learned);
        if (learned.TransferDirectory is { } dir)
        {
            using var augmenter = LoadAugmenter(new RunDirectory(dir), channels, 0);
        }
    }
}
