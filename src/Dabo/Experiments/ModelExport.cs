using System.Text.Json;
using System.Text.Json.Serialization;
using Dabo.IO;
using Dabo.Models;
using Dabo.Training;
using Dabo.Training.Runs;
using Google.Protobuf;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Dabo.Experiments;

/// <summary>
/// What <see cref="ModelExport"/> writes beside the weights (<c>FILE.json</c> for <c>FILE.safetensors</c>):
/// the network and the input it expects, so that PyTorch can use the weights.
/// </summary>
/// <param name="Format">Format tag, <see cref="ModelExport.Format"/>.</param>
/// <param name="Model">Dabo's network name (e.g. <c>small-cnn</c>); the state dict's keys are its layer names.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="ImageHeight">Height of the training images (the networks pool globally, so others work too).</param>
/// <param name="ImageWidth">Width of the training images.</param>
/// <param name="ClassNames">The classes, in the order of the logits.</param>
/// <param name="Mean">Per-channel mean subtracted from pixels in [0, 1] (the run's training images).</param>
/// <param name="Std">Per-channel standard deviation the difference is divided by.</param>
/// <param name="Input">The input in words.</param>
/// <param name="Weights">File name of the weights (safetensors, float32).</param>
/// <param name="SourceRun">Run directory the weights come from (null when exported from memory).</param>
/// <param name="SourceFile">Dabo weight file exported (e.g. <c>model.bin</c>), or null.</param>
/// <param name="NormalizationInGraph">True for ONNX: the graph subtracts <paramref name="Mean"/> and divides by <paramref name="Std"/> itself.</param>
public sealed record ExportMetadata(
    string Format,
    string Model,
    int Channels,
    long ImageHeight,
    long ImageWidth,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    string Input,
    string Weights,
    string? SourceRun,
    string? SourceFile,
    bool NormalizationInGraph = false);

/// <summary>The files <see cref="ModelExport.Export"/> wrote.</summary>
/// <param name="WeightsFile">The safetensors or ONNX file.</param>
/// <param name="MetadataFile">The JSON beside it (<see cref="ExportMetadata"/>).</param>
/// <param name="Metadata">What the JSON holds.</param>
/// <param name="Keys">The state dict's keys, in the file's order (for ONNX: the graph's initializers).</param>
public sealed record ModelExportResult(string WeightsFile, string MetadataFile, ExportMetadata Metadata, IReadOnlyList<string> Keys);

/// <summary>
/// <c>dabo export</c>: a run's classifier as <c>safetensors</c> (written by TorchSharp.PyBridge, loadable
/// with <c>safetensors.torch.load_file</c> in Python and with <see cref="Load"/> in C#) and, beside it,
/// a JSON file with the normalization (mean and std per channel), the classes and the network name.
/// Both files are written atomically. The weights are Dabo's state dict: parameters and BatchNorm
/// buffers under Dabo's layer names (docs/export.md lists them and how to load them in PyTorch).
/// </summary>
public static class ModelExport
{
    /// <summary>Format tag of the metadata file.</summary>
    public const string Format = "dabo-export-v1";

    /// <summary>The input the exported networks expect.</summary>
    public const string InputDescription = "float32 [N, C, H, W], pixels scaled to [0, 1], then (x - mean[c]) / std[c] per channel; the output is [N, classes] logits";

    /// <summary>The input of an exported ONNX graph.</summary>
    public const string OnnxInputDescription = "input 'image': float32 [N, C, H, W], pixels scaled to [0, 1] (the graph normalizes with mean and std itself); outputs 'logits' and 'probabilities' (softmax), [N, classes]";

    /// <summary>The formats <c>dabo export --format</c> writes, by name; the file's extension is the name.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["safetensors", "onnx"];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The metadata file beside <paramref name="weightsFile"/>: the same name with the extension <c>.json</c>.</summary>
    /// <param name="weightsFile">The safetensors file.</param>
    public static string MetadataFileOf(string weightsFile) => Path.ChangeExtension(weightsFile, ".json");

    /// <summary>
    /// Exports the classifier of a finished run: loads its <c>model.bin</c> (or <c>best_model.bin</c>)
    /// and the normalization of its own training images, and writes <paramref name="outFile"/> and its JSON.
    /// </summary>
    /// <param name="runDirectory">A finished run.</param>
    /// <param name="outFile">The file to write: <c>FILE.safetensors</c>, or <c>FILE.onnx</c> for ONNX.</param>
    /// <param name="best">Export the best-validation weights instead of the final ones.</param>
    /// <param name="cacheDirectory">Decoded-image cache (null: the default).</param>
    /// <param name="format"><c>safetensors</c> or <c>onnx</c>; null takes it from <paramref name="outFile"/>'s extension.</param>
    /// <exception cref="DaboException">An unfinished run, a damaged file, or a bad output name.</exception>
    public static ModelExportResult Export(string runDirectory, string outFile, bool best = false, string? cacheDirectory = null, string? format = null)
    {
        format = FormatOf(outFile, format);
        CheckOutput(outFile, format);
        var run = new RunDirectory(runDirectory);
        var config = run.LoadConfig();
        string modelFile = best ? run.BestModelFile : run.ModelFile;
        if (!Path.Exists(modelFile))
        {
            throw new DaboException($"{modelFile}: not found; the run has not finished (resume it with 'dabo train ... --resume')");
        }
        TorchRuntime.Initialize();
        // The normalization is that of the run's own training images, as in training and in eval.
        var data = RunDataFile.Read(run, config, cacheDirectory);
        int channels = data.ImageShape[0];
        using var model = ModelRegistry.Create(config.Model, channels, data.ClassNames.Count);
        ClassifierFile.Load(model, modelFile, "train the run again to rewrite it");
        bool onnx = format == "onnx";
        var metadata = new ExportMetadata(Format, config.Model, channels, data.ImageShape[1], data.ImageShape[2], data.ClassNames,
            data.Mean, [.. data.Std.Select(s => Math.Max(s, 1e-6))], onnx ? OnnxInputDescription : InputDescription, Path.GetFileName(outFile), run.Path, Path.GetFileName(modelFile), onnx);
        return onnx ? WriteOnnx(model, outFile, metadata) : Write(model, outFile, metadata);
    }

    /// <summary>Writes <paramref name="model"/>'s weights to <paramref name="outFile"/> with PyBridge and <paramref name="metadata"/> beside it.</summary>
    /// <param name="model">A classifier (any device; written as float32 from the CPU).</param>
    /// <param name="outFile">The safetensors file (must end in <c>.safetensors</c>).</param>
    /// <param name="metadata">What goes into the JSON file.</param>
    public static ModelExportResult Write(Classifier model, string outFile, ExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        CheckOutput(outFile, "safetensors");
        CheckNormalization(model, metadata);
        var keys = model.state_dict().Keys.ToList();
        WriteWeights(outFile, stream => model.save_safetensors(stream, leaveOpen: true));
        return new ModelExportResult(outFile, WriteMetadata(outFile, metadata with { NormalizationInGraph = false }), metadata, keys);
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s evaluation-mode forward as an ONNX graph (opset 13: BatchNorm as
    /// BatchNormalization nodes with the running statistics, the normalization as Sub/Div nodes at the input,
    /// outputs <c>logits</c> and <c>probabilities</c>) and <paramref name="metadata"/> beside it.
    /// </summary>
    /// <param name="model">small-cnn, resnet18, resnet20 or wrn-D-K (any device).</param>
    /// <param name="outFile">The ONNX file (must end in <c>.onnx</c>).</param>
    /// <param name="metadata">What goes into the JSON file; its mean and std go into the graph.</param>
    /// <exception cref="DaboException">A network without an ONNX form, or a bad output name.</exception>
    public static ModelExportResult WriteOnnx(Classifier model, string outFile, ExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        CheckOutput(outFile, "onnx");
        CheckNormalization(model, metadata);
        var proto = model.ToOnnx(metadata.ImageHeight, metadata.ImageWidth, metadata.Mean, metadata.Std, OnnxInputDescription);
        WriteWeights(outFile, proto.WriteTo);
        var written = metadata with { Input = OnnxInputDescription, NormalizationInGraph = true };
        return new ModelExportResult(outFile, WriteMetadata(outFile, written), written, [.. proto.Graph.Initializer.Select(i => i.Name)]);
    }

    private static void CheckNormalization(Classifier model, ExportMetadata metadata)
    {
        if (metadata.Mean.Count != model.InputChannels || metadata.Std.Count != model.InputChannels)
        {
            throw new ArgumentException($"the normalization has {metadata.Mean.Count} means and {metadata.Std.Count} stds for {model.InputChannels} channel(s)", nameof(metadata));
        }
    }

    private static void WriteWeights(string outFile, Action<Stream> write)
    {
        try
        {
            AtomicFile.Write(outFile, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputPaths.Error("--out", outFile, e);
        }
    }

    /// <summary>
    /// Writes <paramref name="metadata"/> beside <paramref name="outFile"/>; when that fails the weights just
    /// written are deleted (weights without their normalization are unusable: none rather than half an export).
    /// </summary>
    private static string WriteMetadata(string outFile, ExportMetadata metadata)
    {
        string metadataFile = MetadataFileOf(outFile);
        try
        {
            AtomicFile.WriteAllText(metadataFile, JsonSerializer.Serialize(metadata with { Weights = Path.GetFileName(outFile) }, Json) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(outFile);
            throw OutputPaths.Error("--out", outFile, e);
        }
        return metadataFile;
    }

    /// <summary>Loads an exported file into <paramref name="model"/> (strict: every key, every shape) through PyBridge.</summary>
    /// <param name="model">A classifier of the exported network and size.</param>
    /// <param name="file">The safetensors file.</param>
    /// <exception cref="DaboException">A missing file or one that does not fit the network (one line).</exception>
    public static void Load(Classifier model, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(file))
        {
            throw new DaboException($"{file}: not found");
        }
        try
        {
            model.load_safetensors(file, strict: true);
        }
        // What PyBridge throws for a file that is not a fitting safetensors file: wrong keys or shapes
        // (ArgumentException, InvalidOperationException), a header it does not support
        // (NotImplementedException: "not supported yet"), unreadable or malformed bytes.
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotImplementedException or IOException or JsonException or System.Runtime.InteropServices.ExternalException)
        {
            throw new DaboException($"{file}: does not load into {model.Name} ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>Reads the JSON written beside an exported file.</summary>
    /// <param name="metadataFile">The JSON file.</param>
    /// <exception cref="DaboException">A missing or invalid file (one line).</exception>
    public static ExportMetadata ReadMetadata(string metadataFile)
    {
        if (!File.Exists(metadataFile))
        {
            throw new DaboException($"{metadataFile}: not found");
        }
        try
        {
            var metadata = JsonSerializer.Deserialize<ExportMetadata>(File.ReadAllText(metadataFile), Json);
            return metadata is { Format: Format } ? metadata : throw new DaboException($"{metadataFile}: format: not {Format}");
        }
        catch (JsonException e)
        {
            throw new DaboException($"{metadataFile}: unreadable ({e.Message.Split('\n')[0]})", e);
        }
    }

    // The format asked for, or the one the file's extension names.
    private static string FormatOf(string outFile, string? format)
    {
        if (format is not null)
        {
            return Formats.Contains(format) ? format : throw new DaboException($"--format {format}: unknown; use {string.Join(" or ", Formats)}");
        }
        string extension = Path.GetExtension(outFile ?? "").TrimStart('.').ToLowerInvariant();
        return Formats.Contains(extension) ? extension : "safetensors";
    }

    private static void CheckOutput(string outFile, string format)
    {
        if (string.IsNullOrEmpty(outFile) || !outFile.EndsWith("." + format, StringComparison.OrdinalIgnoreCase))
        {
            throw new DaboException($"--out {outFile}: name the file FILE.{format} for --format {format} (FILE.json is written beside it)");
        }
        if (Directory.Exists(outFile))
        {
            throw new DaboException($"--out {outFile}: is a directory; pass a file name ending in .{format}");
        }
        string metadataFile = MetadataFileOf(outFile);
        if (Directory.Exists(metadataFile))
        {
            throw new DaboException($"--out {outFile}: {metadataFile}, written beside it, is a directory; remove it or choose another file name");
        }
        OutputPaths.CheckFile("--out", outFile);
    }
}
