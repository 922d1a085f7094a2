using System.Text.Json;
using Dabo.Experiments;
using Dabo.Models;
using Dabo.Tests.Cli;
using Dabo.Training;
using Dabo.Training.Artifacts;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

/// <summary><c>--init</c>: weights from a safetensors file (Dabo's export or torchvision's resnet18 names), generated here.</summary>
[Collection("global-rng")]
public class PretrainedWeightsTests
{
    public PretrainedWeightsTests() => TorchRuntime.Initialize();

    private static ExportMetadata Metadata(int channels, int classes) => new(ModelExport.Format, "x", channels, 8, 8,
        [.. Enumerable.Range(0, classes).Select(k => $"c{k}")], [.. Enumerable.Repeat(0.5, channels)], [.. Enumerable.Repeat(0.25, channels)], ModelExport.InputDescription, "", null, null);

    private static bool Equal(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.to(b.dtype).eq(b).all().item<bool>();

    [Fact]
    public void An_export_loads_back_with_every_tensor_equal()
    {
        using var temp = new TempDirectory();
        manual_seed(1);
        using var source = ModelRegistry.Create("resnet20", 3, 4);
        ModelExport.Write(source, temp.Combine("w.safetensors"), Metadata(3, 4));
        manual_seed(2);
        using var target = ModelRegistry.Create("resnet20", 3, 4);

        var notes = PretrainedWeights.Load(target, temp.Combine("w.safetensors"));

        Assert.Empty(notes);
        var expected = source.state_dict();
        Assert.All(target.state_dict(), p => Assert.True(Equal(expected[p.Key], p.Value), p.Key));
    }

    [Fact]
    public void Torchvision_resnet18_names_load_with_the_stem_cropped_and_a_new_head()
    {
        using var temp = new TempDirectory();
        manual_seed(1);
        using var source = ModelRegistry.Create("resnet18", 3, 10);
        // The file torchvision's resnet18 would give: its names, a 7×7 stem whose centre is ours, a 1000-class fc.
        var file = new Dictionary<string, Tensor>();
        foreach (var (key, value) in source.state_dict())
        {
            string name = key.Replace("stem.conv.", "conv1.").Replace("stem.bn.", "bn1.").Replace("shortcut.conv.", "downsample.0.").Replace("shortcut.bn.", "downsample.1.");
            name = System.Text.RegularExpressions.Regex.Replace(name, @"^stage(\d)\.", "layer$1.");
            file[name] = value.clone();
        }
        var stem = zeros(64, 3, 7, 7);
        stem.narrow(2, 2, 3).narrow(3, 2, 3).copy_(file["conv1.weight"]);
        file["conv1.weight"] = stem;
        file.Remove("head.weight");
        file.Remove("head.bias");
        file["fc.weight"] = randn(1000, 512);
        file["fc.bias"] = randn(1000);
        using (var stream = File.Create(temp.Combine("r18.safetensors")))
        {
            Safetensors.SaveStateDict(stream, file);
        }
        manual_seed(2);
        using var target = ModelRegistry.Create("resnet18", 3, 6);
        var freshHead = target.state_dict()["head.weight"].clone();

        var notes = PretrainedWeights.Load(target, temp.Combine("r18.safetensors"));

        var expected = source.state_dict();
        Assert.All(target.state_dict().Where(p => !p.Key.StartsWith("head.", StringComparison.Ordinal)), p => Assert.True(Equal(expected[p.Key], p.Value), p.Key));
        Assert.True(Equal(freshHead, target.state_dict()["head.weight"]), "the head keeps its fresh initialization");
        Assert.Contains(notes, n => n.Contains("head was re-initialized (1000 classes in the file, 6 here)", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("cropped to the centre 3×3", StringComparison.Ordinal));
        Assert.Equal("stage2.0.shortcut.bn.running_var", PretrainedWeights.FromTorchvision("layer2.0.downsample.1.running_var"));
    }

    [Theory]
    [InlineData("wrong shape", "mis-shaped conv2.weight (file [64, 32, 5, 5], small-cnn [64, 32, 3, 3])")]
    [InlineData("missing", "missing bn3.running_mean")]
    [InlineData("unexpected", "unexpected extra.weight")]
    public void A_file_that_does_not_fit_is_refused_in_one_line_naming_the_key(string fault, string expected)
    {
        using var temp = new TempDirectory();
        manual_seed(1);
        using var source = ModelRegistry.Create("small-cnn", 1, 3);
        var file = source.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        switch (fault)
        {
            case "wrong shape":
                file["conv2.weight"] = randn(64, 32, 5, 5);
                break;
            case "missing":
                file.Remove("bn3.running_mean");
                break;
            default:
                file["extra.weight"] = randn(2);
                break;
        }
        using (var stream = File.Create(temp.Combine("w.safetensors")))
        {
            Safetensors.SaveStateDict(stream, file);
        }
        using var target = ModelRegistry.Create("small-cnn", 1, 3);
        var before = target.state_dict()["conv1.weight"].clone();

        var e = Assert.Throws<DaboException>(() => PretrainedWeights.Load(target, temp.Combine("w.safetensors")));

        Assert.StartsWith($"--init {temp.Combine("w.safetensors")}: does not fit small-cnn (1 channel(s)): ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(Equal(before, target.state_dict()["conv1.weight"]), "nothing is loaded from a file that does not fit");
    }

    [Fact]
    public void Cli_init_with_frozen_layers_trains_only_the_head_and_is_part_of_the_runs_identity()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("parts"), TestFiles.ImageFolderFiles(classes: 3, perClass: 10, testPerClass: 2));
        manual_seed(4);
        using var source = ModelRegistry.Create("small-cnn", 3, 5);
        ModelExport.Write(source, dir.Combine("init.safetensors"), Metadata(3, 5));
        string[] train = ["train", "--dataset", dir.Combine("parts"), "--epochs", "1", "--batch-size", "8", "--cache-dir", dir.Combine("cache"), "--threads", "1", "--out", dir.Combine("run")];

        var (code, output, err) = CliRunner.Run([.. train, "--init", dir.Combine("init.safetensors"), "--freeze-epochs", "1"]);

        Assert.True(code == 0, err);
        Assert.Contains("head was re-initialized (5 classes in the file, 3 here)", err);
        Assert.Contains($"from {dir.Combine("init.safetensors")} (head only for 1 epochs)", output);
        using var trained = TrainedClassifier.Load(dir.Combine("run"));
        var state = trained.Module.state_dict();
        var init = source.state_dict();
        Assert.All(init.Where(p => p.Key.EndsWith("weight", StringComparison.Ordinal) && !p.Key.StartsWith("head.", StringComparison.Ordinal)),
            p => Assert.True(Equal(p.Value, state[p.Key]), $"{p.Key} stays frozen"));
        using var config = JsonDocument.Parse(File.ReadAllText(dir.Combine("run", "config.json")));
        Assert.Equal(dir.Combine("init.safetensors"), config.RootElement.GetProperty("init").GetString());

        // Resuming with another --init is another configuration.
        File.Copy(dir.Combine("init.safetensors"), dir.Combine("other.safetensors"));
        (code, _, err) = CliRunner.Run([.. train, "--init", dir.Combine("other.safetensors"), "--freeze-epochs", "1", "--resume"]);
        Assert.Equal(2, code);
        Assert.Contains("different configuration", err);
        Assert.Contains("init", err);

        (code, _, err) = CliRunner.Run([.. train.Select(a => a == dir.Combine("run") ? dir.Combine("run2") : a), "--freeze-epochs", "1"]);
        Assert.Equal(2, code);
        Assert.Contains("--freeze-epochs 1: needs --init FILE", err);
    }
}
