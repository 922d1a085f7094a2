using Dabo.Data;

namespace Dabo.Tests.Data;

public class IdxReaderTests
{
    public IdxReaderTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_gzip_and_raw_idx(bool gzip)
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, n: 40, nTest: 20, h: 8, w: 6, gzip: gzip);

        Assert.Equal(DatasetFormat.Idx, DatasetLoader.Detect(dir.Path));
        using var ds = DatasetLoader.Load(dir.Path);

        Assert.Equal(40, ds.Train.Count);
        Assert.Equal(20, ds.Test.Count);
        Assert.Equal([1, 8, 6], ds.Shape);
        Assert.Equal(10, ds.ClassCount);
        Assert.Equal("3", ds.ClassNames[3]);
        Assert.Equal(TestFiles.Pixel(7, 0, 5, 4), ds.Train.Images[7, 0, 5, 4].item<byte>());
        Assert.Equal(7 % 10, ds.Train.LabelArray[7]);
        Assert.Equal(Enumerable.Repeat(4, 10), ds.Train.CountsPerClass(10));
    }

    [Fact]
    public void Channel_statistics_match_a_direct_computation()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, n: 30, nTest: 10, h: 5, w: 5);
        using var ds = DatasetLoader.Load(dir.Path);

        var values = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            for (int y = 0; y < 5; y++)
            {
                for (int x = 0; x < 5; x++)
                {
                    values.Add(TestFiles.Pixel(i, 0, y, x) / 255.0);
                }
            }
        }
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(mean, ds.Mean[0], 9);
        Assert.Equal(std, ds.Std[0], 9);
    }

    [Fact]
    public void Wrong_magic_names_the_file()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, gzip: false);
        var path = dir.Combine("train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(path);
        bytes[3] = 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains(path, e.Message);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void Truncated_file_names_the_file()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, gzip: false);
        var path = dir.Combine("t10k-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_names_the_file()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, gzip: true);
        var path = dir.Combine("train-labels-idx1-ubyte.gz");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Labels_that_do_not_match_images_are_an_error()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, n: 40, gzip: false);
        File.WriteAllBytes(dir.Combine("train-labels-idx1-ubyte"), TestFiles.IdxLabels(39, 10));

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains("train-labels-idx1-ubyte", e.Message);
        Assert.Contains("39 labels", e.Message);
    }
}
