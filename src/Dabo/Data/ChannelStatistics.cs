using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>Per-channel mean and standard deviation of uint8 images, in [0, 1] units.</summary>
public static class ChannelStatistics
{
    /// <summary>
    /// Computes mean and (population) standard deviation per channel of uint8 <c>[N, C, H, W]</c>
    /// images, in chunks so that a large set is never converted to floating point at once.
    /// </summary>
    public static (double[] Mean, double[] Std) Compute(Tensor images)
    {
        int channels = (int)images.shape[1];
        var sum = new double[channels];
        var sumSq = new double[channels];
        long n = images.shape[0];
        long perImage = images.shape[2] * images.shape[3];
        const long chunk = 4096;
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(chunk, n - start);
            var x = images.narrow(0, start, len).to_type(ScalarType.Float64).div_(255.0);
            var s = x.sum([0, 2, 3]).data<double>().ToArray();
            var s2 = x.square().sum([0, 2, 3]).data<double>().ToArray();
            for (int c = 0; c < channels; c++)
            {
                sum[c] += s[c];
                sumSq[c] += s2[c];
            }
        }
        var mean = new double[channels];
        var std = new double[channels];
        double count = Math.Max(1, n * perImage);
        for (int c = 0; c < channels; c++)
        {
            mean[c] = sum[c] / count;
            std[c] = Math.Sqrt(Math.Max(0, (sumSq[c] / count) - (mean[c] * mean[c])));
        }
        return (mean, std);
    }
}
