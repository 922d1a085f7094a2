using System.Buffers.Binary;

namespace Dabo.Tests.Training;

/// <summary>A tiny separable IDX dataset: class c has a bright bar at row 2c (plus noise).</summary>
internal static class TrainingData
{
    public const int Size = 12;
    public const int Classes = 4;

    public static void WriteSeparable(string dir, int train = 200, int test = 80, int seed = 1)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(seed);
        (byte[] Images, byte[] Labels) Make(int n)
        {
            var images = new byte[16 + (n * Size * Size)];
            BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), n);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), Size);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), Size);
            var labels = new byte[8 + n];
            BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
            BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), n);
            for (int i = 0; i < n; i++)
            {
                int c = i % Classes;
                labels[8 + i] = (byte)c;
                for (int y = 0; y < Size; y++)
                {
                    for (int x = 0; x < Size; x++)
                    {
                        bool bar = y == (2 * c) + 2 || y == (2 * c) + 3;
                        images[16 + (i * Size * Size) + (y * Size) + x] = (byte)Math.Clamp((bar ? 200 : 30) + rng.Next(-25, 26), 0, 255);
                    }
                }
            }
            return (images, labels);
        }
        var (trainImages, trainLabels) = Make(train);
        var (testImages, testLabels) = Make(test);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), trainImages);
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), trainLabels);
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), testImages);
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), testLabels);
    }
}
