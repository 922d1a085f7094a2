using System.Text.Json;
using Dabo.Experiments;
using Dabo.Models;
using Dabo.Tests.Cli;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Experiments;

/// <summary><c>dabo export --format onnx</c>: every built-in network, run in ONNX Runtime, gives Dabo's logits.</summary>
[Collection("global-rng")]
public class OnnxExportTests
{
    public OnnxExportTests() => TorchRuntime.Initialize();

    private static readonly double[] Mean3 = [0.49, 0.48, 0.45];
    private static readonly double[] Std3 = [0.25, 0.24, 0.26];

    private static ExportMetadata Metadata(string model, int channels, int size, int classes) => new(ModelExport.Format, model, channels, size, size,
        [.. Enumerable.Range(0, classes).Select(k => $"c{k}")], Mean3[..channels], Std3[..channels], ModelExport.InputDescription, "", null, null);

    /// <summary>Runs the ONNX file on <paramref name="unitImages"/> ([0, 1] pixels) and returns (logits, probabilities).</summary>
    internal static (float[] Logits, float[] Probabilities) RunOnnx(string file, Tensor unitImages)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(file, options);
        var data = unitImages.contiguous().data<float>().ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(data, unitImages.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["image"], [input], ["logits", "probabilities"]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    internal static void AssertClose(float[] expected, float[] actual, double relative = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs(v));
        double error = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(error <= relative * scale, $"largest difference {error:G3} against a scale of {scale:G3} (relative {error / scale:G3})");
    }

    [Theory]
    [InlineData("small-cnn", 1, 12)]
    [InlineData("small-cnn", 3, 16)]
    [InlineData("resnet20", 3, 12)]
    [InlineData("resnet18", 3, 8)]
    [InlineData("wrn-10-1", 3, 12)]
    [InlineData("wrn-16-2", 1, 8)]
    public void Onnx_runtime_gives_the_logits_of_the_network_in_eval_mode(string name, int channels, int size)
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = ModelRegistry.Create(name, channels, 5);
        // BatchNorm with statistics and affine parameters of its own, so that folding errors would show.
        model.train();
        using (no_grad())
        {
            foreach (var (key, tensor) in model.state_dict().Where(p => p.Key.Contains("bn", StringComparison.Ordinal) && p.Value.is_floating_point()))
            {
                tensor.copy_(key.EndsWith("running_var", StringComparison.Ordinal) ? rand_like(tensor) + 0.5 : (randn_like(tensor) * 0.2) + (key.EndsWith(".weight", StringComparison.Ordinal) ? 1 : 0));
            }
        }
        model.eval();
        string file = temp.Combine("m.onnx");
        var result = ModelExport.WriteOnnx(model, file, Metadata(name, channels, size, 5));
        Assert.Equal(ScalarType.Float32, model.Weights[0].dtype);

        var images = rand(3, channels, size, size);
        using var mean = tensor(Mean3[..channels].Select(m => (float)m).ToArray(), [1, channels, 1, 1]);
        using var std = tensor(Std3[..channels].Select(s => (float)s).ToArray(), [1, channels, 1, 1]);
        // The reference is the network's exact function, in float64: float32 channels-last kernels of libtorch round
        // differently (up to 1e-2 relative on the untrained, unnormalized ResNet-18 here), ONNX Runtime's otherwise.
        float[] expected;
        using (no_grad())
        {
            model.to(ScalarType.Float64);
            expected = model.forward(((images - mean) / std).to_type(ScalarType.Float64)).to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        }
        var (logits, probabilities) = RunOnnx(file, images);

        AssertClose(expected, logits);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1.0, probabilities[(i * 5)..((i + 1) * 5)].Sum(), 5);
        }
        Assert.True(ModelExport.ReadMetadata(result.MetadataFile).NormalizationInGraph);
        Assert.Contains("normalization.mean", result.Keys);
    }

    [Fact]
    public void A_network_without_an_onnx_form_is_refused_in_one_line()
    {
        using var temp = new TempDirectory();
        using var model = ModelRegistry.Create("mlp", 1, 3);
        var e = Assert.Throws<DaboException>(() => ModelExport.WriteOnnx(model, temp.Combine("m.onnx"), Metadata("mlp", 1, 8, 3)));
        Assert.StartsWith("mlp: no ONNX export", e.Message);
        Assert.False(File.Exists(temp.Combine("m.onnx")));
    }

    [Fact]
    public void Export_of_a_run_to_onnx_classifies_like_its_trained_classifier()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("parts"), TestFiles.ImageFolderFiles(classes: 3, perClass: 10, testPerClass: 2));
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("parts"), "--epochs", "1", "--batch-size", "8",
            "--cache-dir", dir.Combine("cache"), "--threads", "1", "--out", dir.Combine("run"), "--quiet");
        Assert.True(code == 0, err);

        (code, _, err) = CliRunner.Run("export", "--run", dir.Combine("run"), "--format", "onnx", "--out", dir.Combine("out", "parts.onnx"));
        Assert.True(code == 0, err);
        using var sidecar = JsonDocument.Parse(File.ReadAllText(dir.Combine("out", "parts.json")));
        Assert.True(sidecar.RootElement.GetProperty("normalization_in_graph").GetBoolean());
        Assert.Equal(["class0", "class1", "class2"], sidecar.RootElement.GetProperty("class_names").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(8, sidecar.RootElement.GetProperty("image_height").GetInt32());

        using var classifier = TrainedClassifier.Load(dir.Combine("run"));
        var files = Directory.GetFiles(dir.Combine("parts", "test"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        using var images = Dabo.Data.ImageFiles.Read(files, 3, 8, 8);
        using var expected = classifier.Probabilities(images);
        using var unit = images.to_type(ScalarType.Float32) / 255f;
        var (_, probabilities) = RunOnnx(dir.Combine("out", "parts.onnx"), unit);
        AssertClose(expected.data<float>().ToArray(), probabilities);

        // The extension and --format must agree.
        (code, _, err) = CliRunner.Run("export", "--run", dir.Combine("run"), "--format", "onnx", "--out", dir.Combine("out", "parts.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("name the file FILE.onnx for --format onnx", err);
    }
}
