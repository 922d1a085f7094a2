using System.Globalization;
using System.Text.Json.Nodes;
using Dabo.Augmentation.Fixed;
using Dabo.Methods;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Steps;
using static TorchSharp.torch;

namespace Dabo.Tests.Methods;

/// <summary>
/// A kind of method is one file plus a registry line: this test's kind, <c>test-erase[:P]</c> (black out each
/// training image with probability P, its one option), lives entirely in this file, is registered with one call,
/// and trains through the unchanged trainer, parser and run directory.
/// </summary>
[Collection("global-rng")]
public class MethodKindPluginTests
{
    /// <summary>The whole kind: syntax, option, method and step.</summary>
    private sealed class EraseKind : MethodKind
    {
        public override string Name => "test-erase";

        public override IReadOnlyList<string> Syntaxes => ["test-erase[:P]"];

        public override bool TryParse(string text, out object? arguments)
        {
            arguments = null;
            if (text != Name && !text.StartsWith(Name + ":", StringComparison.Ordinal))
            {
                return false;
            }
            var p = text == Name ? 0.5 : double.Parse(text[(Name.Length + 1)..], CultureInfo.InvariantCulture);
            new NumericRange("test-erase:P", 0, 1).Check(p);
            arguments = p;
            return true;
        }

        public override TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config) =>
            new EraseMethod(fixedParts, text, (double)arguments!);
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

    [Fact]
    public void A_kind_in_one_file_parses_trains_and_reads_its_option()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        // The last epoch's accuracy on the batches the classifier trained on (after the method's augmentation).
        double TrainAccuracy(string method)
        {
            var config = ResumeTests.Config(dir.Combine("data"), method, epochs: 3);
            string run = dir.Combine(method.Replace(':', '_'));
            var summary = new Trainer(config, run).Run();
            Assert.Equal(method, summary.Method);
            return (double)JsonNode.Parse(File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))[^1])!["train_accuracy"]!;
        }

        // P = 0 leaves every image alone and the bars are learned; P = 1 shows only black images: chance level.
        Assert.True(TrainAccuracy("test-erase:0") > 0.9);
        double erased = TrainAccuracy("test-erase:1");
        Assert.True(erased < 0.4, $"training accuracy {erased} on black images only");

        // The parser places it after fixed augmentations and refuses bad arguments with the kind's message.
        var spec = MethodSpec.Parse("standard+test-erase:0.25");
        Assert.Equal("standard", spec.FixedText);
        Assert.IsType<EraseKind>(spec.Learned!.Kind);
        Assert.Contains("test-erase:P 2: out of range", Assert.Throws<DaboException>(() => MethodSpec.Parse("test-erase:2")).Message);
        Assert.Contains("test-erase[:P]", string.Join(", ", MethodSpec.Syntaxes));
        var saved = JsonNode.Parse(File.ReadAllText(dir.Combine("test-erase_1", "config.json")))!;
        Assert.Equal("test-erase:1", (string?)saved["augment"]);
    }
}
