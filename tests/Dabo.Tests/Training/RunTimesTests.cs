using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Policies;
using Dabo.Data;
using Dabo.Training;
using Dabo.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

/// <summary>The per-run time breakdown in summary.json, and the training batches prepared ahead.</summary>
[Collection("global-rng")]
public class RunTimesTests
{
    public RunTimesTests() => TorchRuntime.Initialize();

    private static IReadOnlyDictionary<string, double> Breakdown(string run, out double wall)
    {
        var summary = new RunDirectory(run).LoadSummary()!;
        wall = summary.WallSeconds;
        return summary.TimeBreakdown!;
    }

    [Theory]
    [InlineData("none")]
    [InlineData("randaugment")]
    [InlineData("learned-policy")]
    public void Summary_has_every_phase_non_negative_and_at_most_the_wall_time(string augment)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        new Trainer(ResumeTests.Config(dir.Combine("data"), augment, epochs: 2), dir.Combine("run")).Run();

        var breakdown = Breakdown(dir.Combine("run"), out double wall);
        Assert.Equal([.. RunTimes.Phases, RunTimes.Other], breakdown.Keys);
        Assert.All(breakdown.Values, s => Assert.True(s >= 0, $"{s} s"));
        // Rounding to milliseconds of each phase and of the wall time.
        Assert.InRange(breakdown.Values.Sum(), 0, wall + 0.02);
        Assert.True(breakdown[RunTimes.Steps] > 0, "steps measured");
        Assert.True(breakdown[RunTimes.Validation] > 0, "validation measured");
        Assert.True(breakdown[RunTimes.Test] > 0, "test measured");
        if (augment == "learned-policy")
        {
            Assert.True(breakdown[RunTimes.AugmenterUpdates] > 0, "policy updates measured");
        }
        else
        {
            Assert.Equal(0, breakdown[RunTimes.AugmenterUpdates]);
        }
    }

    // Stops the process right after the last epoch's checkpoint, before the summary.
    private sealed class StopAtEpoch(int epoch) : ITrainingObserver
    {
        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) { }

        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr) { }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config)
        {
            if (metrics.Epoch == epoch)
            {
                throw new OperationCanceledException();
            }
        }

        public void Warning(string message) { }
    }

    [Fact]
    public void Breakdown_is_kept_by_the_checkpoint_across_a_resume()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = ResumeTests.Config(dir.Combine("data"), "randaugment", epochs: 2);
        string run = dir.Combine("run");
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(config, run, new StopAtEpoch(2)).Run());
        Assert.False(File.Exists(Path.Combine(run, "summary.json")));

        // Every epoch was trained by the first process: the resumed one only writes the summary, from the checkpoint.
        new Trainer(config, run).Run(resume: true);

        var breakdown = Breakdown(run, out double wall);
        Assert.True(breakdown[RunTimes.Steps] > 0, "the first process's steps are in the summary");
        Assert.True(breakdown[RunTimes.Test] > 0, "the first process's test evaluation is in the summary");
        Assert.True(wall > 0);
        Assert.InRange(breakdown.Values.Sum(), 0, wall + 0.02);
    }

    [Fact]
    public void Clean_training_images_are_evaluated_where_the_test_split_is()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = ResumeTests.Config(dir.Combine("data"), "standard", epochs: 3) with { TestEvery = 2 };
        new Trainer(config, dir.Combine("run")).Run();

        var lines = new RunDirectory(dir.Combine("run")).LoadMetrics();
        Assert.Equal([false, true, true], lines.Select(l => l.TestAccuracy is not null).ToArray());
        Assert.Equal([false, true, true], lines.Select(l => l.TrainAccuracyClean is not null && l.TrainLossClean is not null).ToArray());
    }

    [Theory]
    [InlineData("randaugment")]
    [InlineData("uniform-policy")]
    [InlineData("standard")]
    public void Batches_prepared_ahead_are_the_batches_prepared_in_turn(string augment)
    {
        using var images = randint(0, 256, [70, 3, 16, 16], dtype: ScalarType.Byte);
        using var labels = arange(70, dtype: ScalarType.Int64);
        var set = new ImageSet(images, labels);
        var augmentation = FixedAugmentationParser.Parse(augment, 3);

        List<(Tensor Images, Tensor Augmented)> Epochs(bool ahead, out Tensor generatorState)
        {
            using var sampler = new BatchSampler(set, 16, seed: 3);
            using var generator = new Generator(11);
            var result = new List<(Tensor, Tensor)>();
            for (int epoch = 0; epoch < 2; epoch++)
            {
                foreach (var batch in TrainingBatches.Epoch(sampler, augmentation, generator, ahead))
                {
                    result.Add((batch.Images.clone(), batch.Augmented.clone()));
                    batch.Dispose();
                }
            }
            generatorState = generator.get_state();
            return result;
        }

        var inTurn = Epochs(ahead: false, out var stateInTurn);
        var ahead = Epochs(ahead: true, out var stateAhead);
        Assert.Equal(10, inTurn.Count);
        Assert.Equal(inTurn.Count, ahead.Count);
        for (int i = 0; i < inTurn.Count; i++)
        {
            Assert.True(inTurn[i].Images.eq(ahead[i].Images).all().item<bool>(), $"batch {i}: images");
            Assert.True(inTurn[i].Augmented.eq(ahead[i].Augmented).all().item<bool>(), $"batch {i}: augmented");
        }
        Assert.True(stateInTurn.eq(stateAhead).all().item<bool>(), "the generator ends in the same state");
    }

    [Fact]
    public void A_consumer_that_stops_early_leaves_the_generator_where_the_batches_in_turn_leave_it()
    {
        using var images = randint(0, 256, [64, 3, 16, 16], dtype: ScalarType.Byte);
        using var labels = arange(64, dtype: ScalarType.Int64);
        var set = new ImageSet(images, labels);
        var augmentation = new RandAugment();
        Tensor After(bool ahead, int taken)
        {
            using var sampler = new BatchSampler(set, 16, seed: 3);
            using var generator = new Generator(11);
            foreach (var batch in TrainingBatches.Epoch(sampler, augmentation, generator, ahead).Take(taken))
            {
                batch.Dispose();
            }
            return generator.get_state();
        }
        // Ahead, one more batch was prepared than taken (and freed): what matters is only that the run
        // stops cleanly; a resumed run restarts from the last end-of-epoch checkpoint, not from here.
        using var inTurn = After(ahead: false, taken: 3);
        using var ahead = After(ahead: true, taken: 2);
        Assert.True(inTurn.eq(ahead).all().item<bool>());
    }
}
