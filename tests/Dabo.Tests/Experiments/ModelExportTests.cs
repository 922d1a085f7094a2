using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Dabo.Experiments;
using Dabo.Models;
using Dabo.Tests.Cli;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Runs;
using static TorchSharp.torch;

namespace Dabo.Tests.Experiments;

/// <summary>dabo export: safetensors through TorchSharp.PyBridge, with the normalization beside it.</summary>
[Collection("global-rng")]
public class ModelExportTests
{
    public ModelExportTests() => TorchRuntime.Initialize();

    private static ExportMetadata Metadata(int channels) => new(ModelExport.Format, "x", channels, 12, 12, ["a", "b", "c"],
        [.. Enumerable.Repeat(0.5, channels)], [.. Enumerable.Repeat(0.25, channels)], ModelExport.InputDescription, "", null, null);

    /// <summary>The header of a safetensors file, read by hand (8-byte little-endian length, then JSON).</summary>
    private static JsonElement Header(string file)
    {
        var bytes = File.ReadAllBytes(file);
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.InRange(length, 2, bytes.Length - 8);
        return JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length)).RootElement.Clone();
    }

    [Theory]
    [InlineData("small-cnn", 1)]
    [InlineData("resnet20", 3)]
    public void Exported_weights_load_back_through_pybridge_into_a_fresh_model_with_identical_outputs(string name, int channels)
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = ModelRegistry.Create(name, channels, 3);
        // A few training-mode forwards give the BatchNorm buffers values of their own.
        model.train();
        using (no_grad())
        {
            for (int i = 0; i < 3; i++)
            {
                model.forward(randn(8, channels, 12, 12) * 2 + 0.3);
            }
        }
        model.eval();
        string file = temp.Combine("m.safetensors");
        var result = ModelExport.Write(model, file, Metadata(channels));

        var header = Header(file);
        var stateKeys = model.state_dict().Keys.ToHashSet();
        Assert.Equal(stateKeys, header.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToHashSet());
        Assert.Equal(stateKeys, result.Keys.ToHashSet());
        Assert.Contains(header.EnumerateObject(), p => p.Value.GetProperty("dtype").GetString() == "F32");
        // What the reference reader checks: the tensors' byte ranges tile the data section exactly, in order.
        var spans = header.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => (Start: p.Value.GetProperty("data_offsets")[0].GetInt64(), End: p.Value.GetProperty("data_offsets")[1].GetInt64()))
            .OrderBy(s => s.Start).ToList();
        Assert.Equal(0, spans[0].Start);
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        var fileBytes = File.ReadAllBytes(file);
        Assert.Equal(fileBytes.Length, 8 + BinaryPrimitives.ReadInt64LittleEndian(fileBytes) + spans[^1].End);

        manual_seed(2);
        using var fresh = ModelRegistry.Create(name, channels, 3);
        var batch = randn(5, channels, 12, 12);
        fresh.eval();
        Assert.False(fresh.forward(batch).eq(model.forward(batch)).all().item<bool>(), "a fresh model differs before loading");
        ModelExport.Load(fresh, file);
        fresh.eval();
        Assert.True(fresh.forward(batch).eq(model.forward(batch)).all().item<bool>(), "identical outputs after the round trip");
        foreach (var (key, tensor) in model.state_dict())
        {
            Assert.True(fresh.state_dict()[key].eq(tensor).all().item<bool>(), key);
        }

        var metadata = ModelExport.ReadMetadata(result.MetadataFile);
        Assert.Equal(temp.Combine("m.json"), result.MetadataFile);
        Assert.Equal("m.safetensors", metadata.Weights);
        Assert.Equal([0.25], metadata.Std.Distinct());
    }

    [Fact]
    public void Weights_that_do_not_fit_the_network_are_refused_in_one_line()
    {
        using var temp = new TempDirectory();
        using var small = ModelRegistry.Create("small-cnn", 1, 3);
        string file = temp.Combine("m.safetensors");
        ModelExport.Write(small, file, Metadata(1));
        using var other = ModelRegistry.Create("small-cnn", 1, 5);
        var e = Assert.Throws<DaboException>(() => ModelExport.Load(other, file));
        Assert.StartsWith(file + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<DaboException>(() => ModelExport.Write(small, temp.Combine("m.bin"), Metadata(1)));
    }

    [Fact]
    public void Export_of_a_run_carries_its_normalization_and_predicts_like_its_model()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"), train: 80, test: 20);
        var config = new TrainingConfig { Dataset = dir.Combine("data"), Model = "small-cnn", TrainSize = 60, Epochs = 1, BatchSize = 16, Seed = 2 };
        var run = new RunDirectory(dir.Combine("run"));
        new Trainer(config, run.Path).Run();

        string file = dir.Combine("out", "model.safetensors");
        var (code, output, err) = CliRunner.Run("export", "--run", run.Path, "--out", file);
        Assert.True(code == 0, err);
        Assert.Contains("model.safetensors", output);
        var metadata = ModelExport.ReadMetadata(dir.Combine("out", "model.json"));
        using (var dataset = Dabo.Data.DatasetLoader.Load(config.Dataset, null, null))
        using (var data = PreparedData.Create(dataset, config.TrainSize, config.ValRatio, config.TrainOnValidation, config.DataSeed))
        {
            Assert.Equal(data.Mean, metadata.Mean);
            Assert.Equal(data.Std, metadata.Std);
            Assert.Equal(data.ClassNames, metadata.ClassNames);
        }
        Assert.Equal(("small-cnn", 1, 12L, 12L, "model.bin"), (metadata.Model, metadata.Channels, metadata.ImageHeight, metadata.ImageWidth, metadata.SourceFile));

        using var scope = NewDisposeScope();
        using var saved = ModelRegistry.Create("small-cnn", 1, TrainingData.Classes);
        ClassifierFile.Load(saved, run.ModelFile, "");
        using var exported = ModelRegistry.Create("small-cnn", 1, TrainingData.Classes);
        ModelExport.Load(exported, file);
        saved.eval();
        exported.eval();
        var batch = randn(4, 1, 12, 12);
        Assert.True(saved.forward(batch).eq(exported.forward(batch)).all().item<bool>());

        var bad = CliRunner.Run("export", "--run", run.Path, "--out", dir.Combine("model.pt"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains(".safetensors", bad.Err);
    }
}
