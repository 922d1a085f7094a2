using System.Text.Json;
using Dabo.Augmentation.Learned;
using Dabo.IO;
using Dabo.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Artifacts;

/// <summary>
/// The learned part of a method: <c>learned-…</c> names create an augmenter trained by the bilevel
/// step; <c>learned:RUN_DIR</c> loads the augmenter a finished run saved and trains a new
/// classifier with it frozen (no bilevel cost): transfer of a learned policy.
/// </summary>
public static class LearnedAugmentation
{
    private const string Magic = "DABO-AUGMENTER-v1";
    private const string AugmenterRemedy = "train the learned-augmentation run again to rewrite it";

    /// <summary>Checks that <paramref name="directory"/> holds a readable augmenter file (read, not built), for <c>learned:RUN_DIR</c>.</summary>
    /// <param name="learned">The learned part as written (<c>learned:RUN_DIR</c>), for messages.</param>
    /// <param name="directory">The run directory that should hold the augmenter, as written.</param>
    /// <exception cref="DaboException">No augmenter file (a learned-policy run: the message says how to reuse its policy), or a damaged one.</exception>
    public static void CheckFile(string learned, string directory)
    {
        var source = new RunDirectory(directory);
        string file = source.AugmenterFile;
        if (!File.Exists(file) && !Directory.Exists(file) && File.Exists(source.PolicyFile))
        {
            throw new DaboException($"--augment {learned}: {directory} has a policy.json but no augmenter.bin (a learned-policy run, or a learned:DIR run); reuse its policy with --augment policy:{source.PolicyFile}");
        }
        if (!File.Exists(file) && !Directory.Exists(file))
        {
            throw new DaboException($"--augment {learned}: {file} not found; pass the directory of a finished learned-augmentation run");
        }
        // Checked before the new run's directory is made: a damaged file must leave nothing behind.
        ChecksummedFile.Read(file, "augmenter", AugmenterRemedy, r => ReadHeader(r, file));
    }

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
}
