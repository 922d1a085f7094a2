using Dabo.Data;

namespace Dabo.Tests.Data;

public class CifarBinaryReaderTests
{
    public CifarBinaryReaderTests() => TorchRuntime.Initialize();

    private static void AssertCifar10(Dataset ds)
    {
        Assert.Equal(DatasetFormat.CifarBinary, ds.Format);
        Assert.Equal(20, ds.Train.Count);
        Assert.Equal(6, ds.Test.Count);
        Assert.Equal([3, 32, 32], ds.Shape);
        Assert.Equal("truck", ds.ClassNames[9]);
        // Record 13 of the training set is the 2nd record of data_batch_4 (offset 12 + 1).
        Assert.Equal(TestFiles.Pixel(13, 2, 17, 9), ds.Train.Images[13, 2, 17, 9].item<byte>());
        Assert.Equal(13 % 10, ds.Train.LabelArray[13]);
    }

    [Fact]
    public void Reads_a_cifar10_directory()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Path, TestFiles.Cifar10Files());
        using var ds = DatasetLoader.Load(dir.Path);
        AssertCifar10(ds);
    }

    [Fact]
    public void Reads_the_cifar10_tar_gz_without_unpacking()
    {
        using var dir = new TempDirectory();
        var archive = dir.Combine("cifar-10-binary.tar.gz");
        TestFiles.WriteTar(archive, TestFiles.Cifar10Files(), gzip: true);
        Assert.Equal(DatasetFormat.CifarBinary, DatasetLoader.Detect(archive));
        using var ds = DatasetLoader.Load(archive, dir.Combine("cache"));
        AssertCifar10(ds);
        Assert.Single(Directory.GetFiles(dir.Path)); // nothing unpacked beside the archive
    }

    [Fact]
    public void Reads_cifar100_fine_labels()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Path, new()
        {
            ["cifar-100-binary/train.bin"] = TestFiles.CifarRecords(12, 2, 100),
            ["cifar-100-binary/test.bin"] = TestFiles.CifarRecords(5, 2, 100),
        });
        using var ds = DatasetLoader.Load(dir.Path);
        Assert.Equal(12, ds.Train.Count);
        Assert.Equal(5, ds.Test.Count);
        Assert.Equal(11, ds.Train.LabelArray[11]);
        Assert.Equal(TestFiles.Pixel(4, 1, 3, 30), ds.Train.Images[4, 1, 3, 30].item<byte>());
    }

    [Fact]
    public void Wrong_record_size_names_the_file()
    {
        using var dir = new TempDirectory();
        var files = TestFiles.Cifar10Files();
        files["cifar-10-batches-bin/data_batch_3.bin"] = files["cifar-10-batches-bin/data_batch_3.bin"][..^100];
        TestFiles.WriteFiles(dir.Path, files);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains("data_batch_3.bin", e.Message);
        Assert.Contains("3073", e.Message);
    }

    [Fact]
    public void Missing_batch_is_an_error()
    {
        using var dir = new TempDirectory();
        var files = TestFiles.Cifar10Files();
        files.Remove("cifar-10-batches-bin/test_batch.bin");
        TestFiles.WriteFiles(dir.Path, files);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains("test_batch.bin", e.Message);
    }

    [Fact]
    public void Truncated_archive_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        var archive = dir.Combine("c.tar.gz");
        TestFiles.WriteTar(archive, TestFiles.Cifar10Files(), gzip: true);
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length * 2 / 3)]);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(archive, dir.Combine("cache")));
        Assert.Contains(archive, e.Message);
    }
}
