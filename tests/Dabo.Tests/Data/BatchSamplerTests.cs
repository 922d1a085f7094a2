using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Data;

public class BatchSamplerTests
{
    public BatchSamplerTests() => TorchRuntime.Initialize();

    // Image i has every pixel equal to i, so a batch reveals which images it holds.
    private static ImageSet Numbered(int n) =>
        new(arange(n, ScalarType.Int64).to_type(ScalarType.Byte).view(n, 1, 1, 1).expand(n, 1, 2, 2).contiguous(),
            arange(n, ScalarType.Int64).remainder(3));

    private static List<long> EpochOrder(BatchSampler sampler)
    {
        var order = new List<long>();
        foreach (var (images, labels) in sampler.Epoch())
        {
            using (images)
            using (labels)
            {
                Assert.Equal(ScalarType.Byte, images.dtype);
                order.AddRange(images[.., 0, 0, 0].to_type(ScalarType.Int64).data<long>().ToArray());
                Assert.Equal(images[.., 0, 0, 0].to_type(ScalarType.Int64).remainder(3).data<long>().ToArray(), labels.data<long>().ToArray());
            }
        }
        return order;
    }

    [Fact]
    public void Each_epoch_is_a_new_permutation_of_all_images()
    {
        using var set = Numbered(50);
        using var sampler = new BatchSampler(set, 16, seed: 5);
        var first = EpochOrder(sampler);
        var second = EpochOrder(sampler);

        Assert.Equal(4, sampler.BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), first.Order());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), second.Order());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Same_seed_same_order_and_state_restores_it()
    {
        using var set = Numbered(40);
        using var a = new BatchSampler(set, 8, seed: 9);
        using var b = new BatchSampler(set, 8, seed: 9);
        Assert.Equal(EpochOrder(a), EpochOrder(b));

        var state = new MemoryStream();
        a.Save(new BinaryWriter(state));
        var expected = EpochOrder(a);
        using var c = new BatchSampler(set, 8, seed: 1234);
        state.Position = 0;
        c.Load(new BinaryReader(state));
        Assert.Equal(expected, EpochOrder(c));
    }

    [Fact]
    public void Drop_last_skips_the_incomplete_batch()
    {
        using var set = Numbered(50);
        using var sampler = new BatchSampler(set, 16, seed: 5, dropLast: true);
        Assert.Equal(3, sampler.BatchesPerEpoch);
        Assert.Equal(48, EpochOrder(sampler).Count);
    }

    [Fact]
    public void Validation_stream_cycles_endlessly_over_all_images()
    {
        using var set = Numbered(10);
        using var sampler = new BatchSampler(set, 4, seed: 2);
        var seen = new List<long>();
        for (int i = 0; i < 10; i++)
        {
            var (images, labels) = sampler.Next();
            using (images)
            using (labels)
            {
                Assert.Equal(4, images.shape[0]);
                seen.AddRange(images[.., 0, 0, 0].to_type(ScalarType.Int64).data<long>().ToArray());
            }
        }
        Assert.Equal(40, seen.Count);
        Assert.Equal(10, seen.Distinct().Count());
        // Each pass of two full batches holds 8 distinct images.
        Assert.Equal(8, seen.Take(8).Distinct().Count());
    }

    [Fact]
    public void Saved_validation_stream_continues_its_pass_after_loading()
    {
        using var set = Numbered(10);
        using var a = new BatchSampler(set, 4, seed: 2);
        NextImages(a); // the pass is half read: the next batch comes from the same permutation
        var state = new MemoryStream();
        a.Save(new BinaryWriter(state));
        var expected = Enumerable.Range(0, 5).SelectMany(_ => NextImages(a)).ToList();

        using var b = new BatchSampler(set, 4, seed: 77);
        state.Position = 0;
        b.Load(new BinaryReader(state));
        Assert.Equal(expected, Enumerable.Range(0, 5).SelectMany(_ => NextImages(b)).ToList());
    }

    private static long[] NextImages(BatchSampler sampler)
    {
        var (images, labels) = sampler.Next();
        using (images)
        using (labels)
        {
            return images[.., 0, 0, 0].to_type(ScalarType.Int64).data<long>().ToArray();
        }
    }

    [Fact]
    public void Non_positive_batch_size_is_an_error()
    {
        using var set = Numbered(10);
        var e = Assert.Throws<DaboException>(() => new BatchSampler(set, 0, 1));
        Assert.StartsWith("--batch-size", e.Message);
    }
}
