using System.Globalization;
using System.Numerics;
using Inosync.Configuration;

namespace Inosync.Migration;

/// <summary>
/// Python number literals as both Python 2 and 3 wrote them: decimal, 0x/0o/0b, underscores between digits, a Python 2
/// long's L, floats; complex numbers and Python 2's leading-zero octal are refused with a message saying why.
/// </summary>
internal static class PythonNumbers
{
    public static PyValue Parse(string text, PyPosition at, string sourceName)
    {
        string digits = text;
        if (digits.EndsWith('j') || digits.EndsWith('J'))
        {
            throw ConversionErrors.Unsupported(sourceName, at, $"the complex number {text}");
        }

        if (digits.EndsWith('L') || digits.EndsWith('l'))
        {
            // Python 2's long integers: 10L.
            digits = digits[..^1];
        }

        if (digits.StartsWith('_') || digits.EndsWith('_') || digits.Contains("__", StringComparison.Ordinal)
            || digits.Contains("_.", StringComparison.Ordinal) || digits.Contains("._", StringComparison.Ordinal))
        {
            throw InvalidNumber(text, at, sourceName);
        }

        digits = digits.Replace("_", "", StringComparison.Ordinal);
        if (digits.Length > 2 && digits[0] == '0' && char.IsAsciiLetter(digits[1]))
        {
            int radix = char.ToUpperInvariant(digits[1]) switch { 'X' => 16, 'O' => 8, 'B' => 2, _ => 0 };
            return new PyInteger(at, ParseInteger(digits[2..], radix, text, at, sourceName));
        }

        if (digits.All(char.IsAsciiDigit))
        {
            if (digits.Length > 1 && digits[0] == '0' && digits.Any(ch => ch != '0'))
            {
                throw ConversionErrors.Value(sourceName, at,
                    $"the number {text} has a leading zero: Python 2 read it as octal, Python 3 rejects it (write 0o{digits.TrimStart('0')} for octal)");
            }

            return new PyInteger(at, ParseInteger(digits, 10, text, at, sourceName));
        }

        if (digits.All(ch => char.IsAsciiDigit(ch) || ch is '.' or 'e' or 'E' or '+' or '-')
            && digits.Count(ch => ch == '.') <= 1
            && double.TryParse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double number))
        {
            return new PyFloat(at, number);
        }

        throw InvalidNumber(text, at, sourceName);
    }

    private static long ParseInteger(string digits, int radix, string text, PyPosition at, string sourceName)
    {
        if (digits.Length == 0)
        {
            throw InvalidNumber(text, at, sourceName);
        }

        BigInteger value = BigInteger.Zero;
        foreach (char ch in digits)
        {
            int digit = char.IsAsciiDigit(ch) ? ch - '0' : char.IsAsciiLetter(ch) ? char.ToUpperInvariant(ch) - 'A' + 10 : radix;
            if (digit >= radix)
            {
                throw InvalidNumber(text, at, sourceName);
            }

            value = (value * radix) + digit;
        }

        return value <= long.MaxValue
            ? (long)value
            : throw ConversionErrors.Value(sourceName, at, $"the integer {text} is too large (at most {long.MaxValue})");
    }

    private static ConfigException InvalidNumber(string text, PyPosition at, string sourceName) =>
        ConversionErrors.Invalid(sourceName, at, $"'{text}' is not a number");
}
