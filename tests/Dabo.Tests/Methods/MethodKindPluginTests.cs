using System.Globalization;
using System.Text.Json.Nodes;
using Dabo.Augmentation.Fixed;
using Dabo.Methods;
using Dabo.Tests.Cli;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Steps;
using static TorchSharp.torch;

namespace Dabo.Tests.Methods;

/// <summary>
/// A kind of method is one file plus a registry line: this test's kind, <c>test-erase</c> (black out each training
/// image with probability P, its one option <c>test-erase.p</c>), lives entirely in this file, is registered with one
/// call, and trains through the unchanged trainer, parser, run directory and command line.
/// </summary>
[Collection("global-rng")]
public class MethodKindPluginTests
{
    /// <summary>The whole kind: syntax, option, method and step.</summary>
    private sealed class EraseKind : MethodKind
    {
        // The kind's one option, declared once: --set test-erase.p=VALUE, "method_options" in config.json, help and range.
        private static readonly MethodOption Probability = new("test-erase.p", 0, 1, 0.5, "share of training images blacked out");

        public override string Name => "test-erase";

        public override IReadOnlyList<string> Syntaxes => ["test-erase"];

        public override IReadOnlyList<MethodOption> Options => [Probability];

        public override bool TryParse(string text, out object? arguments)
        {
            arguments = null;
            return text == Name;
        }

        public override TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config) =>
            new EraseMethod(fixedParts, text, Probability.ReadFrom(config));
    }

    private sealed class EraseMethod(IReadOnlyList<FixedPart> fixedParts, string text, double probability) : TrainingMethod(fixedParts, text)
    {
        public override TrainingStep CreateStep(StepContext context)
        {
            var generator = new Generator((ulong)context.Seeds.Augmenter);
            return new PlainStep(context.Model, context.Optimizer, context.Normalize,
                x => x * rand([x.shape[0], 1, 1, 1], generator: generator).ge(probability).to_type(x.dtype));
        }
    }

    public MethodKindPluginTests()
    {
        TorchRuntime.Initialize();
        MethodRegistry.Register(new EraseKind());
    }

    private static MethodOptionValues P(double p) => new([new("test-erase.p", p)]);

    [Fact]
    public void A_kind_in_one_file_parses_trains_and_reads_its_option()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        // The last epoch's accuracy on the batches the classifier trained on (after the method's augmentation).
        double TrainAccuracy(double p)
        {
            var config = ResumeTests.Config(dir.Combine("data"), "test-erase", epochs: 3) with { MethodOptions = P(p) };
            string run = dir.Combine($"p{p}");
            var summary = new Trainer(config, run).Run();
            Assert.Equal("test-erase", summary.Method);
            return (double)JsonNode.Parse(File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))[^1])!["train_accuracy"]!;
        }

        // P = 0 leaves every image alone and the bars are learned; P = 1 shows only black images: chance level.
        Assert.True(TrainAccuracy(0) > 0.9);
        double erased = TrainAccuracy(1);
        Assert.True(erased < 0.4, $"training accuracy {erased} on black images only");

        // The parser places it after fixed augmentations; config.json records the option, and a run resumes only with it.
        var spec = MethodSpec.Parse("standard+test-erase");
        Assert.Equal("standard", spec.FixedText);
        Assert.IsType<EraseKind>(spec.Learned!.Kind);
        Assert.Contains("test-erase", string.Join(", ", MethodSpec.Syntaxes));
        var saved = TrainingConfig.FromJson(File.ReadAllText(dir.Combine("p1", "config.json")), "config.json");
        Assert.Equal(1.0, saved.MethodOptions!.Get("test-erase.p"));
        Assert.Equal(ResumeTests.Config(dir.Combine("data"), "test-erase", epochs: 3) with { MethodOptions = P(1) }, saved);
        Assert.NotEqual(saved with { MethodOptions = P(0.5) }, saved);
    }

    [Theory]
    [InlineData("test-erase", "test-erase.p=2", "--set test-erase.p 2: out of range")]
    [InlineData("test-erase", "bogus.x=1", "--set bogus.x: no method has this option; known: ")]
    [InlineData("test-erase", "test-erase.p", "--set test-erase.p: write KEY=VALUE with a number")]
    [InlineData("none", "test-erase.p=1", "--set test-erase.p: applies only to test-erase methods (test-erase); --augment is none")]
    public void The_command_line_sets_a_declared_option_and_refuses_the_rest(string method, string assignment, string error)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--augment", method, "--set", assignment, "--epochs", "1", "--out", dir.Combine("run"), "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(error, err);
        Assert.False(Directory.Exists(dir.Combine("run")), "a refused command writes nothing");
    }

    [Fact]
    public void The_command_line_trains_with_the_option_and_lists_it_in_help()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--augment", "test-erase", "--set", "test-erase.p=1", "--epochs", "1", "--batch-size", "16", "--out", dir.Combine("run"), "--quiet");
        Assert.True(code == 0, err);
        Assert.Equal(1.0, TrainingConfig.FromJson(File.ReadAllText(dir.Combine("run", "config.json")), "config.json").MethodOptions!.Get("test-erase.p"));
        var (_, help, _) = CliRunner.Run("train", "--help");
        Assert.Contains("test-erase.p", help);
    }
}
