using Dabo.Augmentation.Learned;
using Dabo.Training;

namespace Dabo.Tests.Training;

/// <summary>The enums of <see cref="TrainingConfig"/> read and write the words run directories already hold.</summary>
public class ConfigJsonTests
{
    // A config.json as Dabo wrote it when these fields were strings (no image_size or policy_operations yet).
    private const string OldConfig = """
        {
          "dataset": "fashion-mnist",
          "model": "small-cnn",
          "augment": "learned-policy",
          "train_size": 300,
          "val_ratio": 0.2,
          "train_on_validation": false,
          "flip": true,
          "epochs": 4,
          "batch_size": 32,
          "lr": 0.05,
          "momentum": 0.9,
          "weight_decay": 0.0005,
          "nesterov": false,
          "schedule": "step",
          "warmup_epochs": 0,
          "test_every": 1,
          "seed": 0,
          "data_seed": 0,
          "device": "cpu",
          "inner_steps": 1,
          "hypergrad": "fd-central",
          "augmenter_lr": 0.2,
          "augmenter_momentum": 0.9,
          "augmenter_weight_decay": 0.01,
          "augmenter_kind": "mlp",
          "apply_probability": 0.5,
          "policy_lr": 0.05,
          "policy_kl": 0.05,
          "policy_update_every": 2,
          "policy_samples": 4,
          "policy_val_images": 128,
          "policy_control": "shuffle"
        }
        """;

    [Fact]
    public void Reads_a_config_written_when_the_enums_were_strings()
    {
        var config = TrainingConfig.FromJson(OldConfig, "config.json");
        Assert.Equal(ScheduleKind.Step, config.Schedule);
        Assert.Equal(HypergradMethod.FdCentral, config.Hypergrad);
        Assert.Equal(AugmenterParametrization.Mlp, config.AugmenterKind);
        Assert.Equal(PolicyControl.Shuffle, config.PolicyControl);
        Assert.Equal(300, config.TrainSize);
    }

    [Fact]
    public void Writes_the_same_words()
    {
        var config = TrainingConfig.FromJson(OldConfig, "config.json");
        string json = config.ToJson();
        foreach (var line in new[] { "\"schedule\": \"step\"", "\"hypergrad\": \"fd-central\"", "\"augmenter_kind\": \"mlp\"", "\"policy_control\": \"shuffle\"" })
        {
            Assert.Contains(line, json, StringComparison.Ordinal);
        }
        Assert.Contains("\"hypergrad\": \"exact\"", new TrainingConfig().ToJson(), StringComparison.Ordinal);
        Assert.Equal(config, TrainingConfig.FromJson(json, "x"));
    }

    [Theory]
    [InlineData("hypergrad", "\"second-order\"", "--hypergrad second-order: use exact, fd or fd-central")]
    [InlineData("schedule", "\"linear\"", "--schedule linear: unknown schedule")]
    [InlineData("policy_control", "\"random\"", "--policy-control random: use none or shuffle")]
    [InlineData("augmenter_kind", "2", "invalid configuration at key 'augmenter_kind'")]
    public void A_bad_word_in_a_config_file_gets_the_flags_message(string key, string value, string message)
    {
        var e = Assert.Throws<DaboException>(() => TrainingConfig.FromJson($"{{\"{key}\": {value}}}", "c.json"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("c.json: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fd-central", HypergradMethod.FdCentral)]
    [InlineData("exact", HypergradMethod.Exact)]
    public void The_command_line_words_map_onto_the_enums(string word, HypergradMethod expected)
    {
        Assert.Equal(expected, OptionNames.Hypergrad(word));
        Assert.Equal(word, OptionNames.Of(expected));
    }
}
