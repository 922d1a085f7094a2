using System.Buffers.Binary;

namespace Dabo.Tests.Training;

/// <summary>
/// A synthetic task for learned translation: four 6×6 glyphs on a 16×16 canvas. Training images are
/// centred (±1 pixel of jitter); test images are the same glyphs shifted by up to ±4 pixels.
/// </summary>
internal static class ShiftedData
{
    public const int Size = 16;
    public const int Classes = 4;

    private static bool Glyph(int c, int y, int x) => c switch
    {
        0 => y is 2 or 3,                 // horizontal bar
        1 => x is 2 or 3,                 // vertical bar
        2 => x == y || x == y + 1,        // diagonal
        _ => (x is 0 or 5) || (y is 0 or 5), // square outline
    };

    public static void Write(string dir, int trainPerClass, int testPerClass, int maxTrainShift = 1, int maxTestShift = 4, int seed = 5)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(seed);
        (byte[] Images, byte[] Labels) Make(int perClass, int maxShift)
        {
            int n = perClass * Classes;
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
                int dy = rng.Next(-maxShift, maxShift + 1);
                int dx = rng.Next(-maxShift, maxShift + 1);
                for (int y = 0; y < Size; y++)
                {
                    for (int x = 0; x < Size; x++)
                    {
                        int gy = y - 5 - dy;
                        int gx = x - 5 - dx;
                        bool on = gy is >= 0 and < 6 && gx is >= 0 and < 6 && Glyph(c, gy, gx);
                        images[16 + (i * Size * Size) + (y * Size) + x] = (byte)Math.Clamp((on ? 220 : 20) + rng.Next(-20, 21), 0, 255);
                    }
                }
            }
            return (images, labels);
        }
        var (trainImages, trainLabels) = Make(trainPerClass, maxTrainShift);
        var (testImages, testLabels) = Make(testPerClass, maxTestShift);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), trainImages);
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), trainLabels);
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), testImages);
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), testLabels);
    }
}
