using Dabo.Data;
using Dabo.Training;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

public class PreparedDataTests
{
    private static ImageSet Constant(int count, int size, byte value) =>
        new(full([count, 3, size, size], value, dtype: ScalarType.Byte), zeros(count, dtype: ScalarType.Int64));

    [Fact]
    public void From_sets_takes_statistics_from_the_training_images()
    {
        using var test = Constant(2, 4, 0);
        using var data = PreparedData.FromSets(Constant(4, 4, 51), Constant(2, 4, 255), test, ["a", "b"]);

        Assert.Equal(4, data.Train.Count);
        Assert.Equal(2, data.Validation.Count);
        Assert.Equal(3, data.Channels);
        Assert.All(data.Mean, m => Assert.Equal(0.2, m, 6));
        Assert.All(data.Std, s => Assert.Equal(0.0, s, 6));
    }

    [Fact]
    public void From_sets_rejects_splits_of_different_shapes()
    {
        using var test = Constant(2, 8, 0);
        using var train = Constant(4, 4, 1);
        using var validation = Constant(2, 4, 1);
        Assert.Throws<ArgumentException>(() => PreparedData.FromSets(train, validation, test, ["a"]));
    }
}
